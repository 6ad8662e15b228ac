using System.Collections.Concurrent;
using StackExchange.Redis;

namespace TestLocks.Redis;

/// <summary>
/// This process's subscriptions to lock release channels (<c>NAME.released</c>), one per lock name it has waited for,
/// kept while the backend lives so a second wait costs no SUBSCRIBE. The release scripts publish on them the id of the
/// first writer in the lock's queue: that writer's process wakes its writer, the others only their readers, so one
/// release costs one try, not one per waiter (a thundering herd). An empty message wakes everyone.
/// </summary>
/// <remarks>
/// Pub/sub delivers at most once: a message sent while the subscription's connection was down is gone, and a holder
/// killed with SIGKILL or a program that uses DistributedLock directly sends none. Waiters therefore also wake when
/// what blocks them expires and at least every busy_wait (see <see cref="RedisOptions.BusyWait"/>).
/// </remarks>
internal sealed class ReleaseChannels
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Signal>>> _signals = new(StringComparer.Ordinal);

    /// <summary>The channel a lock's release is published on. Pub/sub channels are shared by all databases: a release
    /// in another database only wakes a waiter for one extra try.</summary>
    public static RedisChannel ChannelOf(string key) => RedisChannel.Literal(key + ".released");

    /// <summary>The signal of <paramref name="key"/>, subscribed on first use.</summary>
    public Task<Signal> SubscribeAsync(ConnectionMultiplexer connection, string key)
    {
        var lazy = _signals.GetOrAdd(key, static (k, c) => new Lazy<Task<Signal>>(() => Subscribe(c, k)), connection);
        var task = lazy.Value;
        // A failed SUBSCRIBE (server down) is not kept: the next wait subscribes again.
        if (task.IsFaulted || task.IsCanceled) _signals.TryRemove(new KeyValuePair<string, Lazy<Task<Signal>>>(key, lazy));
        return task;
    }

    private static async Task<Signal> Subscribe(ConnectionMultiplexer connection, string key)
    {
        var signal = new Signal();
        await connection.GetSubscriber().SubscribeAsync(ChannelOf(key), (_, message) => signal.Fire(message)).ConfigureAwait(false);
        return signal;
    }

    /// <summary>Wakes waiters for one lock name. A waiter takes <see cref="Next"/> (readers) or <see cref="Mine"/>
    /// (writers) before it tries the lock, so a release between a failed try and the wait is not missed.</summary>
    internal sealed class Signal
    {
        private TaskCompletionSource _next = New();
        private TaskCompletionSource _mine = New();

        /// <summary>Completes at the next release message.</summary>
        public Task Next => Volatile.Read(ref _next).Task;

        /// <summary>Completes at the next release message that names a waiting writer of this process, or none: a release
        /// names the first writer in the queue, so the other writers sleep on.</summary>
        public Task Mine => Volatile.Read(ref _mine).Task;

        public void Fire(RedisValue message)
        {
            Interlocked.Exchange(ref _next, New()).TrySetResult();
            var text = message.IsNullOrEmpty ? "" : message.ToString();
            if (text.Length == 0 || text.StartsWith(RedisAttempt.s_idPrefix, StringComparison.Ordinal)) Interlocked.Exchange(ref _mine, New()).TrySetResult();
        }

        private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
