using System.Diagnostics;
using StackExchange.Redis;
using TestLocks.Backends;
using TestLocks.Backends.Server;

namespace TestLocks.Redis;

/// <summary>One acquire: its lock id (DistributedLock's form, <c>HOST_PID_GUID</c>), and the writer-waiting mark it
/// took, if any, which it must give back if it does not get the lock.</summary>
internal sealed class RedisAttempt(RedisOptions options, IDatabase database, string key, LockMode mode, LockHolder self)
{
    /// <summary>What every lock id of this process begins with (no '_' after it): a release publishes the next waiter's id on the
    /// release channel followed by this (<see cref="ReleaseChannels.WriterChannelOf"/>), so it wakes only that waiter's process.</summary>
    internal static readonly string s_idPrefix = $"{Environment.MachineName}_{Environment.ProcessId}_";
    private readonly RedisValue _id = s_idPrefix + RedisScripts.PublishingIdMark + Guid.NewGuid().ToString("n");
    private RedisValue _record = HolderJson.Write(self with { Since = DateTimeOffset.UtcNow });
    private int _tries;
    private long _blockedFor = RedisScripts.BlockedWithoutExpiry;
    private long _failedSent;
    private bool _messageComes;
    private bool _waitingMark;
    private bool _queued;

    /// <summary>The lock id of this acquire.</summary>
    public string Id => _id.ToString();

    /// <summary>The lock a release gave to this acquire (<see cref="ReleaseChannels.Signal.TakeGrant"/>), with the
    /// fencing token it drew; null when a try must confirm it. The server's lease began at that release, which came after
    /// this acquire's last failed try ran (a try that ran after it finds the lock given to it, and has it), so the
    /// holder's lease clock counts from that try's send time, and only when that was within 10% of the lease, as for
    /// any acquire (RedLock's validity rule); otherwise the next try takes the given lock with a fresh lease, or finds
    /// it lost (this process was paused past the lease) and queues again.</summary>
    public RedisLease? Granted(long token)
    {
        if (_failedSent == 0 || Stopwatch.GetElapsedTime(_failedSent) > options.Lease * 0.1) return null;
        _waitingMark = _queued = false;
        return new RedisLease(database, key, mode, _id, options.Lease, _failedSent, token);
    }

    public RedisLease? Try(bool takeWaitingMark)
    {
        var (script, keys, values) = Script(takeWaitingMark);
        var sent = Stopwatch.GetTimestamp();
        return Result(database.ScriptEvaluate(script, keys, values, CommandFlags.DemandMaster), sent, takeWaitingMark);
    }

    public async ValueTask<RedisLease?> TryAsync(bool takeWaitingMark)
    {
        var (script, keys, values) = Script(takeWaitingMark);
        var sent = Stopwatch.GetTimestamp();
        return Result(await database.ScriptEvaluateAsync(script, keys, values, CommandFlags.DemandMaster).ConfigureAwait(false), sent, takeWaitingMark);
    }

    private (string, RedisKey[], RedisValue[]) Script(bool takeWaitingMark)
    {
        if (_tries++ > 0) _record = HolderJson.Write(self with { Since = DateTimeOffset.UtcNow }); // since the lock was granted, not asked for
        return mode == LockMode.Read
            ? (RedisScripts.AcquireRead, [key + ".writer", key + ".readers", RedisLockBackend.RecordKey(key), RedisScripts.EpochKey], [_id, options.LeaseMilliseconds, _record, RedisLockBackend.RecordLifetimeMs])
            : (RedisScripts.AcquireWrite, [key + ".writer", key + ".readers", RedisLockBackend.RecordKey(key), RedisLockBackend.FenceKey(key), .. RedisLockBackend.QueueKeys(key), RedisScripts.EpochKey],
               [_id, options.LeaseMilliseconds, _record, RedisLockBackend.RecordLifetimeMs, takeWaitingMark ? 1 : 0, takeWaitingMark ? options.QueueEntryMilliseconds : 0,
                ReleaseChannels.ChannelOf(key).ToString()]);
    }

    private RedisLease? Result(RedisResult reply, long sent, bool tookWaitingMark)
    {
        // A write acquire answers {-1, fencing token}, or when it fails {how long until what blocks it expires, whether a
        // release message will come}; a read acquire -1 or how long; both a number within the grace after a restart.
        long? token = null;
        long result;
        var messageComes = false;
        if (reply.Resp2Type == ResultType.Array)
        {
            var parts = (RedisResult[])reply!;
            result = (long)parts[0];
            if (result == RedisScripts.Acquired) token = (long)parts[1];
            else messageComes = (long)parts[1] == 1;
        }
        else
        {
            result = (long)reply;
        }
        if (result != RedisScripts.Acquired)
        {
            _blockedFor = result;
            _messageComes = messageComes;
            _failedSent = sent;
            _waitingMark |= tookWaitingMark && mode == LockMode.Write;
            _queued |= tookWaitingMark && mode == LockMode.Write;
            return null;
        }
        _waitingMark = false; // the lock replaced the mark
        _queued = false; // and the queue entry
        var lease = new RedisLease(database, key, mode, _id, options.Lease, sent, token);
        // RedLock: a lock whose answer came after 10% of its lease may have too little validity left to be safe.
        if (Stopwatch.GetElapsedTime(sent) <= options.Lease * 0.1) return lease;
        try { lease.Dispose(); } catch (InvalidOperationException) { }
        return null;
    }

    /// <summary>How long to sleep before the next try, unless a release message comes first: until what blocks the
    /// lock expires (a dead holder's lease), at most the time left, and at most busy_wait when no message may come (a
    /// holder that publishes none, a lock free for the first writer in the queue, who may have died), else at most
    /// <see cref="RedisOptions.IdleWait"/>; null when no time is left. A message lost while the connection was down
    /// wakes the waiter when it comes back (<see cref="ReleaseChannels.WakeAll"/>).</summary>
    public TimeSpan? NextTry(Stopwatch clock, TimeSpan timeout)
    {
        var sleep = _messageComes ? options.IdleWait : options.BusyWait;
        if (_blockedFor >= 0) sleep = TimeSpan.FromMilliseconds(Math.Min(sleep.TotalMilliseconds, _blockedFor + 1));
        if (timeout == Timeout.InfiniteTimeSpan) return sleep;
        var left = timeout - clock.Elapsed;
        if (left <= TimeSpan.Zero) return null;
        return left < sleep ? left : sleep;
    }

    /// <summary>Takes a writer that did not get the lock out of the queue and removes its writer-waiting mark, waking the
    /// next waiter when it was the first.</summary>
    public void GiveUpWaitingMark()
    {
        if (!_queued && !_waitingMark) return;
        _queued = _waitingMark = false;
        RedisValue channel = ReleaseChannels.ChannelOf(key).ToString();
        try
        {
            database.ScriptEvaluate(RedisScripts.LeaveQueue, [key + ".writer", .. RedisLockBackend.QueueKeys(key)], [_id, channel],
                CommandFlags.DemandMaster | CommandFlags.FireAndForget);
        }
        catch (RedisException) { } // the entry and the mark lapse
        catch (ObjectDisposedException) { }
    }
}
