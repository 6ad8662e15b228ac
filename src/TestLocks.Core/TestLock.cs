using System.Diagnostics;
using TestLocks.Backends;
using TestLocks.Diagnostics;
using TestLocks.InProcess;
using TestLocks.Threading;
using TestLocks.Adapters;

namespace TestLocks;

/// <summary>
/// A named lock: an in-process FIFO lock, then (when external and process locking is not disabled) the
/// cross-process lock in the backend, a lock file by default. Create it with <see cref="LockFactory"/>.
/// Every acquire form returns a <see cref="LockHandle"/>; dispose it to release.
/// </summary>
/// <remarks>
/// Not re-entrant: asking again for a lock the same flow (thread or async call chain) holds throws
/// <see cref="LockReentryException"/> at once instead of waiting forever.
/// </remarks>
public sealed class TestLock
{
    private readonly LockBackend? _backend;
    private readonly LockOptions _options;

    internal TestLock(LockFactory factory, string name, LockMode mode, LockBackend? backend, LockOptions options)
    {
        Factory = factory;
        Name = name;
        Mode = mode;
        _backend = backend;
        _options = options;
        BackendKind = backend?.Kind ?? "in-process";
    }

    /// <summary>Set for a slot of a counted lock (<see cref="CountedLock"/>): the counted lock's full name, written in the
    /// holder record with <see cref="Slots"/>.</summary>
    internal string? SlotOf { get; init; }

    /// <summary>For a slot of a counted lock: how many slots its holder declares.</summary>
    internal int? Slots { get; init; }

    /// <summary>True for the parts of a counted lock: it reports waits itself, for all its slots at once.</summary>
    internal bool Quiet { get; init; }

    /// <summary>Machinery nobody asked for by name (a counted lock's queue): nothing about it goes to the journal or to
    /// OpenTelemetry.</summary>
    internal bool Untraced { get; init; }

    /// <summary>What kind of backend holds the lock, for telemetry: "file", "in-process", "redis", "postgres".</summary>
    internal string BackendKind { get; }

    internal LockFactory Factory { get; }

    /// <summary>The lock's full name, prefix included: the lock file's name, e.g. <c>tempest-availability_zone</c>.</summary>
    public string Name { get; }

    /// <summary>Write (exclusive) or read (shared).</summary>
    public LockMode Mode { get; }

    /// <summary>Whether the lock excludes other processes (false when internal, or when process locking is disabled).</summary>
    public bool IsExternal => _backend is not null;

    /// <summary>Where the lock lives: the lock file's path, a server and key, or "in-process only".</summary>
    public string Location => _backend?.Describe(Name) ?? "in-process only";

    /// <summary>Takes the lock, waiting at most <paramref name="timeout"/> (default: <see cref="TestLocksSettings.LockTimeout"/>).</summary>
    /// <exception cref="LockTimeoutException">The time ran out; the message names the holder.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="LockReentryException">This flow already holds the lock.</exception>
    public LockHandle Acquire(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var hold = ReentryGuard.Enter(Name);
        return Sync.Wait(Take(hold, timeout ?? Factory.Settings.LockTimeout, synchronous: true, throwOnTimeout: true, cancellationToken))!;
    }

    /// <summary>Takes the lock if it is free within <paramref name="timeout"/> (default: one try); null otherwise.</summary>
    public LockHandle? TryAcquire(TimeSpan timeout = default, CancellationToken cancellationToken = default)
    {
        var hold = ReentryGuard.Enter(Name);
        return Sync.Wait(Take(hold, timeout, synchronous: true, throwOnTimeout: false, cancellationToken));
    }

    /// <summary>Takes the lock, waiting at most <paramref name="timeout"/> (default: <see cref="TestLocksSettings.LockTimeout"/>)
    /// without holding a thread while it waits in-process.</summary>
    /// <exception cref="LockTimeoutException">The time ran out; the message names the holder.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="LockReentryException">This flow already holds the lock.</exception>
    public ValueTask<LockHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        // Not async itself: the re-entry mark must be set on the caller's synchronous path to flow back to it.
        var taking = TakeAsync(timeout ?? Factory.Settings.LockTimeout, throwOnTimeout: true, cancellationToken);
        return AwaitHandle(taking);

        static async ValueTask<LockHandle> AwaitHandle(ValueTask<LockHandle?> taking) => (await taking.ConfigureAwait(false))!;
    }

    /// <summary>Takes the lock if it is free within <paramref name="timeout"/> (default: one try); null otherwise.</summary>
    public ValueTask<LockHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default)
        => TakeAsync(timeout, throwOnTimeout: false, cancellationToken);

    /// <summary>A slot of a counted lock tries or waits as <see cref="TryAcquireAsync"/>, as one part of the counted acquire
    /// that started at <paramref name="countedStart"/> (a <see cref="Stopwatch"/> timestamp): its own waits are not
    /// recorded (a counted acquire waits on every slot at once, and on its queue first); the handle's
    /// <see cref="LockHandle.Waited"/> and the journal's acquire count from <paramref name="countedStart"/>, and when
    /// <paramref name="countedWaited"/> the journal gets one wait, from then, before the acquire.</summary>
    /// <remarks>A <paramref name="tentative"/> part (one of several tried at once) records nothing, neither its acquire
    /// nor its release, until <see cref="Confirm"/>: the slots its counted acquire gives back leave no trace.</remarks>
    internal ValueTask<LockHandle?> TryAcquirePartAsync(TimeSpan timeout, long countedStart, bool countedWaited, CancellationToken cancellationToken, bool tentative = false)
    {
        var hold = ReentryGuard.Enter(Name);
        return Take(hold, timeout, synchronous: false, throwOnTimeout: false, cancellationToken, new CountedPart(countedStart, countedWaited, tentative));
    }

    /// <summary>How a counted acquire takes this lock as its part: see <see cref="TryAcquirePartAsync"/>.</summary>
    private sealed record CountedPart(long Start, bool Waited, bool Tentative);

    /// <summary>Records a tentative part its counted acquire kept, as <see cref="Take"/> records any part it acquires.</summary>
    internal void Confirm(LockHandle handle, bool countedWaited)
    {
        handle.Tentative = false;
        if (countedWaited) LockTrace.WaitedAsPart(this, handle.Owner, handle.Waited);
        var trace = new LockTrace { WaitsUntraced = true };
        handle.Hold = trace.Acquired(this, handle.Owner, handle.Waited);
        Factory.Log.Acquired(Name, handle.Owner, handle.Waited);
    }

    private ValueTask<LockHandle?> TakeAsync(TimeSpan timeout, bool throwOnTimeout, CancellationToken cancellationToken)
    {
        var hold = ReentryGuard.Enter(Name);
        return Take(hold, timeout, synchronous: false, throwOnTimeout, cancellationToken);
    }

    private async ValueTask<LockHandle?> Take(ReentryGuard.Hold hold, TimeSpan timeout, bool synchronous, bool throwOnTimeout, CancellationToken cancellationToken, CountedPart? part = null)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            hold.Exit();
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or more, or Timeout.InfiniteTimeSpan to wait without limit.");
        }
        timeout = Deadline.Normalize(timeout); // longer than timers can represent (24.8 days): no limit
        var start = Stopwatch.GetTimestamp();
        LockRegistry.Entry? entry = null;
        var inProcessHeld = false;
        BackendLock? backendLock = null;
        IDisposable? reporting = null;
        IDisposable? waitMark = null;
        RunnerSlot? leftSlot = null;
        var owner = "";
        var handedOver = false;
        var trace = new LockTrace { WaitsUntraced = part is not null };
        try
        {
            owner = LockOwner.Resolve(_options.Owner);
            Factory.Log.Acquiring(Name, owner);
            entry = LockRegistry.Reference(Name);
            if (!entry.Lock.TryEnter(Mode, owner, start))
            {
                if (timeout != TimeSpan.Zero)
                {
                    var waitingFor = entry;
                    leftSlot ??= LeaveSlot();
                    waitMark = WaitGraph.Waiting(owner, Name);
                    trace.WaitStarted(this, owner, () => InProcessHolder(waitingFor));
                    if (!Quiet) reporting = ReportWaiting(start, owner, () => InProcessHolder(waitingFor));
                    var entered = entry.Lock.EnterAsync(Mode, owner, timeout, cancellationToken);
                    inProcessHeld = synchronous ? entered.GetAwaiter().GetResult() : await entered.ConfigureAwait(false);
                }
                if (!inProcessHeld)
                {
                    var busy = entry; // captured in this scope only, so the uncontended path allocates no closure
                    return Fail(ref trace, owner, timeout, () => InProcessHolder(busy), start, "this process", throwOnTimeout);
                }
            }
            inProcessHeld = true;

            if (_backend is not null)
            {
                var self = new LockHolder(ThisProcess.Id, ThisProcess.Host, owner, null, Mode) { SlotOf = SlotOf, Slots = Slots };
                backendLock = synchronous
                    ? _backend.TryAcquire(Name, Mode, TimeSpan.Zero, self, cancellationToken)
                    : await _backend.TryAcquireAsync(Name, Mode, TimeSpan.Zero, self, cancellationToken).ConfigureAwait(false);
                if (backendLock is null)
                {
                    var remaining = Remaining(start, timeout);
                    if (remaining != TimeSpan.Zero)
                    {
                        reporting?.Dispose();
                        leftSlot ??= LeaveSlot();
                        waitMark ??= WaitGraph.Waiting(owner, Name);
                        trace.WaitStarted(this, owner, BackendHolder);
                        if (!Quiet) reporting = ReportWaiting(start, owner, BackendHolder);
                        backendLock = synchronous
                            ? _backend.TryAcquire(Name, Mode, remaining, self, cancellationToken)
                            : await _backend.TryAcquireAsync(Name, Mode, remaining, self, cancellationToken).ConfigureAwait(false);
                    }
                    if (backendLock is null)
                    {
                        // A first try that took the whole timeout (a loaded machine) still ends a wait the caller asked
                        // for: it hears who holds the lock, as every waiter does.
                        if (timeout != TimeSpan.Zero && reporting is null && !Quiet) reporting = ReportWaiting(start, owner, BackendHolder);
                        return Fail(ref trace, owner, timeout, BackendHolder, start, Location, throwOnTimeout);
                    }
                }
            }

            var acquiredAt = Stopwatch.GetTimestamp();
            var waited = Stopwatch.GetElapsedTime(part?.Start ?? start, acquiredAt);
            var handle = new LockHandle(this, entry, hold, backendLock, owner, acquiredAt, waited);
            handedOver = true;
            if (part is { Tentative: true })
            {
                handle.Tentative = true;
                return handle;
            }
            if (part is { Waited: true }) LockTrace.WaitedAsPart(this, owner, waited);
            handle.Hold = trace.Acquired(this, owner, waited);
            Factory.Log.Acquired(Name, owner, waited);
            return handle;
        }
        finally
        {
            reporting?.Dispose();
            waitMark?.Dispose();
            if (!handedOver)
            {
                trace.Abandoned(this, owner, Stopwatch.GetElapsedTime(start));
                // Not acquired (timeout, cancellation or error): undo every step taken.
                backendLock?.Dispose();
                if (inProcessHeld) entry!.Lock.Exit(Mode, owner);
                if (entry is not null) LockRegistry.Release(entry);
                hold.Exit();
            }
            // The test takes its slot back at once, over the limit if none is free: it may hold the lock now, and a lock
            // is never held while waiting for a runner resource (see RunnerSlot).
            leftSlot?.Rejoin();
        }
    }

    /// <summary>The wait starts: the test runner's slot this flow holds, if any, goes back while it waits (see <see cref="RunnerSlot"/>).</summary>
    private static RunnerSlot? LeaveSlot()
    {
        var slot = RunnerSlot.Current;
        slot?.Leave();
        return slot;
    }

    /// <summary>Ends an acquire that did not get the lock. The holder is read only when someone sees it (a timeout's
    /// exception, or the trace of a wait): on lock files reading it checks the holder's process, which a failed try
    /// (<see cref="TryAcquire(TimeSpan, CancellationToken)"/> with no wait, as a counted lock tries every slot) must not pay.</summary>
    private LockHandle? Fail(ref LockTrace trace, string owner, TimeSpan timeout, Func<LockHolder?> holder, long start, string location, bool throwOnTimeout)
    {
        var waited = Stopwatch.GetElapsedTime(start);
        if ((timeout == TimeSpan.Zero || trace.WaitsUntraced) && !throwOnTimeout) return null;
        var seen = holder();
        if (timeout != TimeSpan.Zero) trace.TimedOut(this, owner, waited, seen);
        if (!throwOnTimeout) return null;
        throw new LockTimeoutException(Name, location, waited, seen);
    }

    private static TimeSpan Remaining(long start, TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return timeout;
        var left = timeout - Stopwatch.GetElapsedTime(start);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Who holds the lock now: the holder in this process when there is one, else the backend's; null when it is free
    /// (or nobody can tell).</summary>
    internal LockHolder? CurrentHolder()
    {
        if (LockRegistry.HolderOf(Name) is not null)
        {
            var entry = LockRegistry.Reference(Name);
            try
            {
                if (entry.Lock.Holder is not null)
                {
                    // A holder here whose record the backend has: that names its slot count too.
                    var record = _backend is null ? null : BackendHolder();
                    return record is { ProcessId: { } pid } && pid == ThisProcess.Id ? record : InProcessHolder(entry);
                }
            }
            finally
            {
                LockRegistry.Release(entry);
            }
        }
        return _backend is null ? null : BackendHolder();
    }

    /// <summary>The backend's record of who holds the lock, for checks (never the in-process view).</summary>
    internal LockHolder? RecordedHolder() => _backend is null ? null : BackendHolder();

    private LockHolder InProcessHolder(LockRegistry.Entry entry) =>
        InProcess.InProcessHolder.Describe(entry.Lock, Mode, _backend is null ? null : BackendHolder);

    private LockHolder? BackendHolder()
    {
        try
        {
            return _backend!.GetHolderAsync(Name, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // diagnostics only: nothing they throw may fail the acquire
        catch (Exception)
        {
            return null;
        }
#pragma warning restore CA1031
    }

    /// <summary>Tells the waiter's observer now, then the log and the observer every WarnAfter while the wait lasts; each
    /// notice says whether the holder's process is alive and what CPU time it used since the previous one.</summary>
    /// <remarks>Neither a throwing OnWaiting callback nor a throwing logger can fail the acquire or reach the timer
    /// thread (which would end the process): diagnostics are reported, never obeyed.</remarks>
    private IDisposable? ReportWaiting(long start, string owner, Func<LockHolder?> holder)
    {
        var onWaiting = _options.OnWaiting;
        var log = Factory.Log;
        var activity = new ProcessActivity();
        if (onWaiting is not null) log.Notify(onWaiting, Notice(start, owner, holder, activity));
        return Watchdog.Watch(Factory.Settings.WarnAfter, repeat: true, _ =>
        {
            var notice = Notice(start, owner, holder, activity);
            log.StillWaiting(notice);
            if (onWaiting is not null) log.Notify(onWaiting, notice);
        });
    }

    private LockWaitNotice Notice(long start, string owner, Func<LockHolder?> holder, ProcessActivity activity)
    {
        var who = holder();
        // A holder in this process that waits, down a chain, for a lock this waiter holds: a deadlock, said as such.
        var deadlock = who?.ProcessId == ThisProcess.Id ? WaitGraph.Cycle(owner, Name) : null;
        HolderActivity? state = null;
        try
        {
            lock (activity) state = activity.Look(who);
        }
#pragma warning disable CA1031 // diagnostics only: nothing they throw may fail the acquire
        catch (Exception)
        {
        }
#pragma warning restore CA1031
        return new LockWaitNotice(Name, Location, who, Stopwatch.GetElapsedTime(start)) { Activity = state, Deadlock = deadlock };
    }
}
