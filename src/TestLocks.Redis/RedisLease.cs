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
    private readonly CancellationTokenSource _stop = new();
    private int _released;

    public RedisLease(IDatabase database, string key, LockMode mode, RedisValue id, TimeSpan lease)
    {
        _database = database;
        _key = key;
        _mode = mode;
        _id = id;
        _lease = lease;
        _leaseMs = (long)lease.TotalMilliseconds;
        _ = RenewAsync();
    }

    public CancellationToken HandleLostToken => _lost.Token;

    private RedisKey[] ExtendKeys => [_mode == LockMode.Read ? _key + ".readers" : _key + ".writer"];

    private async Task RenewAsync()
    {
        var lastRenewed = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(_lease * 0.3);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                bool renewed;
                try
                {
                    renewed = (long)await _database.ScriptEvaluateAsync(_mode == LockMode.Read ? RedisScripts.ExtendRead : RedisScripts.ExtendWrite,
                        ExtendKeys, [_id, _leaseMs], CommandFlags.DemandMaster).ConfigureAwait(false) == 1;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // Unknown: the server may still hold the lease. Lost only once a whole lease passed without renewal.
                    if (Stopwatch.GetElapsedTime(lastRenewed) < _lease) continue;
                    renewed = false;
                }
                if (Volatile.Read(ref _released) != 0) return;
                if (!renewed)
                {
                    _lost.Cancel();
                    return;
                }
                lastRenewed = Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private (string Script, RedisKey[] Keys, RedisValue[] Values) Release()
    {
        Volatile.Write(ref _released, 1);
        _stop.Cancel();
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

    private void Check(long removed)
    {
        _stop.Dispose();
        if (removed != 1) throw new InvalidOperationException("the lock's id was no longer in its key when it was released: its lease had expired");
    }
}
