using System.Diagnostics;
using Medallion.Threading;
using StackExchange.Redis;
using TestLocks.Backends;
using TestLocks.Backends.Server;

namespace TestLocks.Redis;

/// <summary>
/// A held Redis lock: its id in <c>NAME.writer</c> or <c>NAME.readers</c>, renewed every 30% of the lease as
/// DistributedLock renews it (its extension cadence: a third of the 90% minimum validity). Releasing removes the id,
/// gives the lock to the next waiting writer and publishes on the release channel in one script; a release that finds the id already gone throws, since the lock was
/// lost unnoticed.
/// </summary>
/// <remarks>
/// The holder keeps a lease clock of its own, so it knows it lost the lock before anyone else can have it:
/// the server's lease began after the request that took or last renewed it was sent, so it cannot end before that send
/// time plus the lease. The holder counts its lock valid until the send time of the last acquire or renewal that the
/// server confirmed plus <see cref="ValidityShare"/> of the lease, and declares it lost then
/// (<see cref="HandleLostToken"/> fires), whether or not a renewal is still waiting for its answer (a network stall, a
/// frozen server). The 10% left covers clocks whose rates differ and a holder's timer that runs late on a loaded
/// machine. A holder paused past that point (SIGSTOP, a long GC pause, a frozen VM) finds it the moment it runs
/// again: the overdue timer fires, and reading <see cref="HandleLostToken"/> checks the clock first.
/// <see cref="HandleLostToken"/> also fires at once when a renewal finds the id gone.
/// </remarks>
internal sealed class RedisLease : IFencedHandle
{
    /// <summary>The part of the lease, from the send time of the last confirmed acquire or renewal, the holder counts on.</summary>
    public const double ValidityShare = 0.9;

    private readonly IDatabase _database;
    private readonly string _key;
    private readonly LockMode _mode;
    private readonly RedisValue _id;
    private readonly RedisValue _leaseMs;
    private readonly long _validity;
    private readonly CancellationTokenSource _lost = new();
    private readonly Timer _renewal;
    private readonly Timer _deadline;
    private long _validUntil;
    private int _renewing;
    private int _released;
    private int _gone;

    /// <summary>A lease whose acquire was sent at <paramref name="sent"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public RedisLease(IDatabase database, string key, LockMode mode, RedisValue id, TimeSpan lease, long sent, long? fencingToken)
    {
        FencingToken = fencingToken;
        _database = database;
        _key = key;
        _mode = mode;
        _id = id;
        _leaseMs = (long)lease.TotalMilliseconds;
        _validity = (long)(lease.TotalSeconds * ValidityShare * Stopwatch.Frequency);
        _validUntil = sent + _validity;
        var cadence = lease * 0.3;
        _renewal = new Timer(static state => _ = ((RedisLease)state!).RenewAsync(), this, cadence, cadence);
        _deadline = new Timer(static state => ((RedisLease)state!).OnDeadline(), this, Timeout.Infinite, Timeout.Infinite);
        ScheduleDeadline();
    }

    /// <summary>The fencing token the acquire script drew (<see cref="RedisScripts.AcquireWrite"/>); null for a read lock.</summary>
    public long? FencingToken { get; }

    public CancellationToken HandleLostToken
    {
        get
        {
            if (Left() <= 0) Lose();
            return _lost.Token;
        }
    }

    /// <summary>Stopwatch ticks until the holder's lease clock runs out.</summary>
    private long Left() => Volatile.Read(ref _validUntil) - Stopwatch.GetTimestamp();

    private void ScheduleDeadline()
    {
        var left = Left();
        try
        {
            _deadline.Change(left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / Stopwatch.Frequency), Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException) { } // released or lost meanwhile
    }

    private void OnDeadline()
    {
        if (Volatile.Read(ref _released) != 0 || Volatile.Read(ref _gone) != 0) return;
        if (Left() <= 0) Lose();
        else ScheduleDeadline(); // renewed meanwhile
    }

    /// <summary>Declares the lease lost. Every caller returns with <see cref="HandleLostToken"/> cancelled, not only the
    /// first: the overdue timer and a reader of the token race the moment a paused holder runs again, and the reader must
    /// not see the lock held (it did, once in a few loaded runs, when the timer's call was still disposing timers).</summary>
    private void Lose()
    {
        if (Volatile.Read(ref _released) != 0) return;
        var first = Interlocked.Exchange(ref _gone, 1) == 0;
        _lost.Cancel(); // the token counts as cancelled for every thread from the moment one thread begins
        if (!first) return;
        _renewal.Dispose();
        _deadline.Dispose();
    }

    private RedisKey[] ExtendKeys => [_mode == LockMode.Read ? _key + ".readers" : _key + ".writer"];

    private async Task RenewAsync()
    {
        if (Interlocked.Exchange(ref _renewing, 1) != 0) return; // the previous renewal still waits for its answer
        try
        {
            var sent = Stopwatch.GetTimestamp();
            bool renewed;
            try
            {
                renewed = (long)await _database.ScriptEvaluateAsync(_mode == LockMode.Read ? RedisScripts.ExtendRead : RedisScripts.ExtendWrite,
                    ExtendKeys, [_id, _leaseMs], CommandFlags.DemandMaster).ConfigureAwait(false) == 1;
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                return; // unknown: the server may still hold the lease; the lease clock decides
            }
            if (Volatile.Read(ref _released) != 0 || Volatile.Read(ref _gone) != 0) return;
            if (!renewed)
            {
                Lose(); // the id is gone: the key expired or was removed
                return;
            }
            // The server's new lease began after this request was sent: count from the send time, never from the answer.
            var until = sent + _validity;
            for (var current = Volatile.Read(ref _validUntil); until > current;)
            {
                var seen = Interlocked.CompareExchange(ref _validUntil, until, current);
                if (seen == current) break;
                current = seen;
            }
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
        _deadline.Dispose();
        RedisValue channel = ReleaseChannels.ChannelOf(_key).ToString();
        return _mode == LockMode.Read
            ? (RedisScripts.ReleaseRead, [_key + ".readers", .. RedisLockBackend.QueueKeys(_key)], [_id, channel])
            : (RedisScripts.ReleaseWrite, [_key + ".writer", .. RedisLockBackend.QueueKeys(_key), _key + ".readers", RedisLockBackend.RecordKey(_key), RedisLockBackend.FenceKey(_key)],
               [_id, channel, _leaseMs, RedisLockBackend.RecordLifetimeMs]);
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
