using System.Diagnostics;
using Medallion.Threading;
using StackExchange.Redis;

namespace TestLocks.Redis;

/// <summary>
/// A held Redis lock: its id in <c>NAME.writer</c> or <c>NAME.readers</c>, renewed every 30% of the lease as
/// DistributedLock renews it (its extension cadence: a third of the 90% minimum validity). <see cref="HandleLostToken"/>
/// fires when a renewal finds the id gone (the key expired or was removed) or when renewals have failed for a whole
/// lease. Releasing removes the id and publishes on the release channel in one script; a release that finds the id
/// already gone throws, since the lock was lost unnoticed.
/// </summary>
internal sealed class RedisLease : IDistributedSynchronizationHandle
{
    private readonly IDatabase _database;
    private readonly string _key;
    private readonly LockMode _mode;
    private readonly RedisValue _id;
    private readonly RedisValue _leaseMs;
    private readonly TimeSpan _lease;
    private readonly CancellationTokenSource _lost = new();
    private readonly Timer _renewal;
    private long _lastRenewed = Stopwatch.GetTimestamp();
    private int _renewing;
    private int _released;

    public RedisLease(IDatabase database, string key, LockMode mode, RedisValue id, TimeSpan lease)
    {
        _database = database;
        _key = key;
        _mode = mode;
        _id = id;
        _lease = lease;
        _leaseMs = (long)lease.TotalMilliseconds;
        var cadence = lease * 0.3;
        _renewal = new Timer(static state => _ = ((RedisLease)state!).RenewAsync(), this, cadence, cadence);
    }

    public CancellationToken HandleLostToken => _lost.Token;

    private RedisKey[] ExtendKeys => [_mode == LockMode.Read ? _key + ".readers" : _key + ".writer"];

    private async Task RenewAsync()
    {
        if (Interlocked.Exchange(ref _renewing, 1) != 0) return; // the previous renewal still waits for its answer
        try
        {
            bool renewed;
            try
            {
                renewed = (long)await _database.ScriptEvaluateAsync(_mode == LockMode.Read ? RedisScripts.ExtendRead : RedisScripts.ExtendWrite,
                    ExtendKeys, [_id, _leaseMs], CommandFlags.DemandMaster).ConfigureAwait(false) == 1;
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                // Unknown: the server may still hold the lease. Lost only once a whole lease passed without renewal.
                renewed = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastRenewed)) < _lease;
                if (renewed) return;
            }
            if (Volatile.Read(ref _released) != 0) return;
            if (renewed)
            {
                Volatile.Write(ref _lastRenewed, Stopwatch.GetTimestamp());
                return;
            }
            await _renewal.DisposeAsync().ConfigureAwait(false);
            _lost.Cancel();
        }
        finally
        {
            Volatile.Write(ref _renewing, 0);
        }
    }

    private (string Script, RedisKey[] Keys, RedisValue[] Values) Release()
    {
        Volatile.Write(ref _released, 1);
        _renewal.Dispose();
        RedisValue channel = ReleaseChannels.ChannelOf(_key).ToString();
        return _mode == LockMode.Read
            ? (RedisScripts.ReleaseRead, [_key + ".readers"], [_id, channel])
            : (RedisScripts.ReleaseWrite, [_key + ".writer"], [_id, channel]);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        var (script, keys, values) = Release();
        Check((long)_database.ScriptEvaluate(script, keys, values, CommandFlags.DemandMaster));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        var (script, keys, values) = Release();
        Check((long)await _database.ScriptEvaluateAsync(script, keys, values, CommandFlags.DemandMaster).ConfigureAwait(false));
    }

    private static void Check(long removed)
    {
        if (removed != 1) throw new InvalidOperationException("the lock's id was no longer in its key when it was released: its lease had expired");
    }
}
