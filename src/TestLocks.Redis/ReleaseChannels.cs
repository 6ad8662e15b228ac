using System.Collections.Concurrent;
using StackExchange.Redis;
using TestLocks.Backends;

namespace TestLocks.Redis;

/// <summary>
/// This process's subscriptions to lock release channels, one per lock name and mode it has waited for, kept while the
/// backend lives so a second wait costs no SUBSCRIBE. A release (<see cref="RedisScripts"/>' WakeNext) publishes the id of the
/// first writer in the lock's queue on two channels: <c>NAME.released.HOST_PID_</c>, the channel of that writer's
/// process, which only that process listens to, and <c>NAME.released</c>, which waiting readers listen to. So a release
/// wakes one process with writers waiting, not every process (each woken process costs a network read, a thread woken
/// and its scheduling on the machine, every release: with 32 waiting processes this was most of the client CPU, see
/// docs/backends.md). A release with no writer queued publishes an empty message on <c>NAME.released</c> only.
/// </summary>
/// <remarks>
/// Pub/sub delivers at most once: a message sent while the subscription's connection was down is gone (every waiter
/// wakes and tries when the connection comes back: <see cref="WakeAll"/>), and a holder killed with SIGKILL, a program
/// that uses DistributedLock directly or TestLocks 1.0 (which publishes on <c>NAME.released</c> only) sends none to a
/// writer's channel. Waiters therefore also wake when what blocks them expires, and at least every busy_wait (see
/// <see cref="RedisOptions.BusyWait"/>) unless the script said a message will come (<see cref="RedisScripts.PublishingIdMark"/>).
/// The subscription to a writer's channel also tells the server the waiter's process lives: its place in the queue
/// ends when it no longer listens.
/// </remarks>
internal sealed class ReleaseChannels
{
    private readonly ConcurrentDictionary<(string Key, LockMode Mode), Lazy<Task<Signal>>> _signals = new();

    /// <summary>The channel every release of a lock is published on, which waiting readers listen to. Pub/sub channels are
    /// shared by all databases: a release in another database only wakes a waiter for one extra try.</summary>
    public static RedisChannel ChannelOf(string key) => RedisChannel.Literal(key + ".released");

    /// <summary>The channel this process's waiting writers of a lock listen to: the release channel, a dot and the
    /// beginning of every lock id of this process (<see cref="RedisAttempt.s_idPrefix"/>), as the scripts derive it from
    /// the next writer's id.</summary>
    public static RedisChannel WriterChannelOf(string key) => RedisChannel.Literal(key + ".released." + RedisAttempt.s_idPrefix);

    /// <summary>The signal of <paramref name="key"/> for a waiter in <paramref name="mode"/>, subscribed on first use.</summary>
    public Task<Signal> SubscribeAsync(ConnectionMultiplexer connection, string key, LockMode mode)
    {
        var lazy = _signals.GetOrAdd((key, mode), static (k, c) => new Lazy<Task<Signal>>(() => Subscribe(c, k.Mode == LockMode.Write ? WriterChannelOf(k.Key) : ChannelOf(k.Key))), connection);
        var task = lazy.Value;
        // A failed SUBSCRIBE (server down) is not kept: the next wait subscribes again.
        if (task.IsFaulted || task.IsCanceled) _signals.TryRemove(new KeyValuePair<(string, LockMode), Lazy<Task<Signal>>>((key, mode), lazy));
        return task;
    }

    /// <summary>Wakes every waiter of this process for one more try: after the connection came back, when a message
    /// may have been lost.</summary>
    public void WakeAll()
    {
        foreach (var lazy in _signals.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully) lazy.Value.Result.Fire(RedisValue.Null);
        }
    }

    private static async Task<Signal> Subscribe(ConnectionMultiplexer connection, RedisChannel channel)
    {
        var signal = new Signal();
        await connection.GetSubscriber().SubscribeAsync(channel, (_, message) => signal.Fire(message)).ConfigureAwait(false);
        return signal;
    }

    /// <summary>Wakes this process's waiters of one lock name and mode. A waiter takes <see cref="Next"/> before it tries
    /// the lock, so a release between a failed try and the wait is not missed. A release that gave the lock to one of
    /// them says so (its id and fencing token), and that waiter takes it with <see cref="TakeGrant"/>.</summary>
    internal sealed class Signal
    {
        private readonly ConcurrentDictionary<string, long> _grants = new();
        private TaskCompletionSource _next = New();

        /// <summary>Completes at the next message on the channel.</summary>
        public Task Next => Volatile.Read(ref _next).Task;

        /// <summary>A message came: the next writer's id, with its fencing token when the release gave it the lock
        /// (<see cref="RedisScripts.ReleaseWrite"/>); empty or null for a wake-up only.</summary>
        public void Fire(RedisValue message)
        {
            var text = (string?)message;
            var space = text?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
            if (space > 0 && long.TryParse(text.AsSpan(space + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token))
            {
                _grants[text![..space]] = token; // before the wake-up, which the waiter reads it after
            }
            Interlocked.Exchange(ref _next, New()).TrySetResult();
        }

        /// <summary>The fencing token of the lock a release gave to the acquire <paramref name="id"/>, once; or null.</summary>
        public long? TakeGrant(string id) => _grants.TryRemove(id, out var token) ? token : null;

        /// <summary>Drops what came for an acquire that ended.</summary>
        public void Forget(string id) => _grants.TryRemove(id, out _);

        private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
