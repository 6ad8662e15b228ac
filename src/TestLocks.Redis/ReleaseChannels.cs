using System.Collections.Concurrent;
using StackExchange.Redis;

namespace TestLocks.Redis;

/// <summary>
/// This process's subscriptions to lock release channels (<c>NAME.released</c>), one per lock name it has waited for,
/// kept while the backend lives so a second wait costs no SUBSCRIBE. The release scripts publish on them; each message
/// wakes every waiter of this process for that name, which then tries the lock again.
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
        await connection.GetSubscriber().SubscribeAsync(ChannelOf(key), (_, _) => signal.Fire()).ConfigureAwait(false);
        return signal;
    }

    /// <summary>Wakes waiters for one lock name. A waiter takes <see cref="Next"/> before it tries the lock, so a
    /// release between a failed try and the wait is not missed.</summary>
    internal sealed class Signal
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes at the next release message.</summary>
        public Task Next => Volatile.Read(ref _next).Task;

        public void Fire() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
