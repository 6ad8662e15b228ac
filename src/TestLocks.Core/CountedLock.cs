using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using TestLocks.Diagnostics;
using TestLocks.InProcess;
using TestLocks.Threading;
using TestLocks.Adapters;
using TestLocks.Backends.File;

namespace TestLocks;

/// <summary>
/// A counted lock: at most <see cref="Slots"/> holders at once, in this process, across processes (lock files) and
/// across machines (PostgreSQL, Redis). A resource pool is a counted lock whose slots are its members' own locks, so a
/// test that locks one member by name (<c>CreateLock("db2")</c>, <c>[ExternalLock("db2")]</c>) excludes a lease of it.
/// Create it with <see cref="LockFactory.CreateSemaphore"/> or <see cref="LockFactory.CreatePool(string, IReadOnlyList{string}, LockOptions?)"/>.
/// </summary>
/// <remarks>
/// Built on the plain locks of any backend: each slot is a lock (<c>quota.slot-1</c> .. <c>quota.slot-N</c>, or the
/// members' names), and a turnstile lock (<c>quota.queue</c>) orders the waiters. An acquire takes the turnstile, tries each
/// slot without waiting, and, if all are busy, waits on every slot at once (the kernel or the server wakes it when any is
/// released; no polling); the first slot won is kept, the other waits are cancelled, and the turnstile goes to the next
/// waiter. Only the turnstile's holder waits on slots, so waiters are served in the turnstile's order. On lock files and
/// PostgreSQL a waiter also takes the front lock (<c>quota.front</c>) while it waits and then lets the turnstile go, so the next waiter
/// waits on the slots too: two waiters at most, in arrival order, and a slot freed while the first hands over goes to
/// the second at once (either of the two may get a slot freed while both wait). A killed holder's
/// slot is freed as any lock of its backend is. Each slot's holder record carries the lock's name and slot count, so
/// waiters name every holder, and holders that disagree on the count are refused (<see cref="SlotCountMismatchException"/>).
/// </remarks>
public sealed class CountedLock
{
    /// <summary>The most slots (or pool members) a counted lock can have: every waiter waits on all of them at once.</summary>
    public const int MaxSlots = 64;

    private readonly TestLock _turnstile;
    private readonly TestLock? _front;
    private readonly TestLock[] _slots;
    private readonly string[]? _members;
    private readonly LockOptions _options;
    private readonly Lazy<TestLock?> _beyond;
    private readonly string _reentryKey;
    private readonly bool _remote;
    private readonly bool _waitFirst;

    internal CountedLock(LockFactory factory, string name, TestLock turnstile, TestLock? front, TestLock[] slots, string[]? members, LockOptions options, Func<TestLock?> beyond)
    {
        Factory = factory;
        Name = name;
        _turnstile = turnstile;
        _front = front;
        _slots = slots;
        _members = members;
        _options = options;
        _beyond = new Lazy<TestLock?>(beyond);
        _reentryKey = name + "\0counted"; // no lock name holds NUL: this key is the counted lock's own
        SlotNames = Array.AsReadOnly(slots.Select(s => s.Name).ToArray());
        // Redis tries are scripts on the process's one connection, so trying every slot at once costs one round trip.
        // Each PostgreSQL try takes a pooled session of its own: all at once took N sessions per acquire and made the
        // pool of 4 / 8 processes less busy (bench/counted.sh: 25.0 and 18.3 % against 33.2 and 39.9 % one by one).
        _remote = slots[0].BackendKind == "redis";
        // A PostgreSQL wait on a free slot is granted at once, so a waiter that queued for the turnstile arms its waits
        // without trying each slot first: one round trip in parallel instead of one per slot in turn before them.
        _waitFirst = slots[0].BackendKind == "postgres";
    }

    internal LockFactory Factory { get; }

    /// <summary>The counted lock's (or pool's) full name, prefix included.</summary>
    public string Name { get; }

    /// <summary>How many holders it admits at once: the slots, or the pool's members.</summary>
    public int Slots => _slots.Length;

    /// <summary>A pool's members, as given; null for a counted lock made by <see cref="LockFactory.CreateSemaphore"/>.</summary>
    public IReadOnlyList<string>? Members => _members is null ? null : Array.AsReadOnly(_members);

    /// <summary>The full lock names of the slots (<c>quota.slot-1</c> ..; a pool's members with the prefix): the lock files or
    /// server keys that say who holds each.</summary>
    public IReadOnlyList<string> SlotNames { get; }

    /// <summary>Whether it excludes other processes too (false when internal, or when process locking is disabled).</summary>
    public bool IsExternal => _turnstile.IsExternal;

    /// <summary>Where its slots live: the first slot's lock file (or server key) and the last slot's name.</summary>
    public string Location => _slots.Length == 1 ? _slots[0].Location : $"{_slots[0].Location} .. {_slots[^1].Name}";

    /// <summary>Takes a free slot, waiting at most <paramref name="timeout"/> (default: <see cref="TestLocksSettings.LockTimeout"/>).</summary>
    /// <exception cref="LockTimeoutException">Every slot stayed busy; the message names every holder.</exception>
    /// <exception cref="SlotCountMismatchException">A holder declared another slot count for this lock.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="LockReentryException">This flow (or test) already holds a slot of it.</exception>
    public CountedLockHandle Acquire(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => TakeBlocking(timeout ?? Factory.Settings.LockTimeout, throwOnTimeout: true, cancellationToken)!;

    /// <summary>Takes a free slot if one is free within <paramref name="timeout"/> (default: one try); null otherwise.</summary>
    public CountedLockHandle? TryAcquire(TimeSpan timeout = default, CancellationToken cancellationToken = default)
        => TakeBlocking(timeout, throwOnTimeout: false, cancellationToken);

    /// <summary>The synchronous acquire: blocks for <see cref="Take"/>, then, on this thread, does what the acquire left
    /// for after its resumption (<see cref="AfterResume"/>).</summary>
    private CountedLockHandle? TakeBlocking(TimeSpan timeout, bool throwOnTimeout, CancellationToken cancellationToken)
    {
        var hold = EnterFlow();
        var later = new AfterResume();
        CountedLockHandle? handle;
        try
        {
            handle = Take(hold, timeout, throwOnTimeout, cancellationToken, later).AsTask().GetAwaiter().GetResult();
        }
        catch
        {
            try
            {
                later.Run();
            }
#pragma warning disable CA1031 // the acquire's own failure is the one to throw
            catch (Exception)
            {
            }
#pragma warning restore CA1031
            throw;
        }
        try
        {
            later.Run();
        }
        catch
        {
            handle?.Dispose();
            throw;
        }
        return handle;
    }

    /// <summary>Takes a free slot, waiting at most <paramref name="timeout"/> (default: <see cref="TestLocksSettings.LockTimeout"/>)
    /// without holding a thread while it waits.</summary>
    /// <exception cref="LockTimeoutException">Every slot stayed busy; the message names every holder.</exception>
    /// <exception cref="SlotCountMismatchException">A holder declared another slot count for this lock.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="LockReentryException">This flow (or test) already holds a slot of it.</exception>
    public ValueTask<CountedLockHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        // Not async itself: the re-entry mark must be set on the caller's synchronous path to flow back to it.
        var hold = EnterFlow();
        return AwaitHandle(Take(hold, timeout ?? Factory.Settings.LockTimeout, throwOnTimeout: true, cancellationToken));

        static async ValueTask<CountedLockHandle> AwaitHandle(ValueTask<CountedLockHandle?> taking) => (await taking.ConfigureAwait(false))!;
    }

    /// <summary>Takes a free slot if one is free within <paramref name="timeout"/> (default: one try); null otherwise.</summary>
    public ValueTask<CountedLockHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default)
    {
        var hold = EnterFlow();
        return Take(hold, timeout, throwOnTimeout: false, cancellationToken);
    }

    /// <summary>Refuses a flow that holds a slot of this lock already (named by the lock's name, not the key behind it).</summary>
    private ReentryGuard.Hold EnterFlow()
    {
        try
        {
            return ReentryGuard.Enter(_reentryKey);
        }
        catch (LockReentryException)
        {
            throw new LockReentryException(Name);
        }
    }

    /// <summary>Who holds each busy slot now (the slot or member in each holder's <see cref="LockHolder.Note"/>), for
    /// status and wait lines.</summary>
    public IReadOnlyList<LockHolder> GetHolders()
    {
        var holders = new List<LockHolder>(_slots.Length);
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].CurrentHolder() is { } holder) holders.Add(holder with { Note = holder.Note is null ? Label(i) : $"{Label(i)}; {holder.Note}" });
        }
        return holders;
    }

    /// <summary>"slot 2", or "member db2" for a pool.</summary>
    internal string Label(int index) => _members is null ? $"slot {index + 1}" : $"member {_members[index]}";

    /// <summary>A pool's member at <paramref name="index"/>; null for a counted lock.</summary>
    internal string? MemberAt(int index) => _members?[index];

    private async ValueTask<CountedLockHandle?> Take(ReentryGuard.Hold hold, TimeSpan timeout, bool throwOnTimeout, CancellationToken cancellationToken, AfterResume? later = null)
    {
        var start = Stopwatch.GetTimestamp();
        var runnerSlot = RunnerSlot.Current;
        var leftSlot = false;
        LockHandle? turnstile = null;
        LockHandle? won = null;
        IDisposable? reporting = null;
        var handedOver = false;
        var failed = false;
        var owner = "";
        try
        {
            if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or more, or Timeout.InfiniteTimeSpan to wait without limit.");
            }
            timeout = Deadline.Normalize(timeout);
            owner = LockOwner.Resolve(_options.Owner);
            foreach (var slot in _slots)
            {
                // A test holding one slot that asks again would take a second one (or wait for itself): refused, as for any lock.
                if (CurrentTest.HoldingTest(slot.Name) is { } testId) throw new LockReentryException(Name, testId);
            }
            // The parts never give the runner's slot back on their own: this acquire does, once, when it starts to wait.
            RunnerSlot.Current = null;

            turnstile = await _turnstile.TryAcquireAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (turnstile is null)
            {
                if (timeout != TimeSpan.Zero)
                {
                    leftSlot = Leave(runnerSlot);
                    reporting = ReportWaiting(start);
                    turnstile = await _turnstile.TryAcquireAsync(Remaining(start, timeout), cancellationToken).ConfigureAwait(false);
                }
                if (turnstile is null)
                {
                    failed = true;
                    return Fail(owner, start, throwOnTimeout, waited: timeout != TimeSpan.Zero);
                }
            }

            // Queued behind others, a waiter finds every slot busy but for a moment: on a server that grants a free slot to
            // a wait at once, it goes straight to its waits, which try every slot too.
            var index = -1;
            var remaining = Remaining(start, timeout);
            if (!_waitFirst || reporting is null || remaining == TimeSpan.Zero)
            {
                (won, index) = await TrySlots(start, countedWaited: reporting is not null, cancellationToken).ConfigureAwait(false);
                remaining = Remaining(start, timeout);
            }
            if (won is null)
            {
                if (remaining != TimeSpan.Zero)
                {
                    if (!leftSlot) leftSlot = Leave(runnerSlot);
                    reporting ??= ReportWaiting(start);
                    (won, index, var letGo) = await WaitForAny(owner, start, remaining, turnstile, later, cancellationToken).ConfigureAwait(false);
                    if (letGo) turnstile = null;
                }
                else if (CheckDue())
                {
                    CheckSlotCounts(owner);
                }
                if (won is null)
                {
                    failed = true;
                    // A first try that took the whole timeout (a loaded machine) still ends a wait the caller asked for:
                    // it hears who holds the slots, as every waiter does.
                    if (timeout != TimeSpan.Zero) reporting ??= ReportWaiting(start);
                    return Fail(owner, start, throwOnTimeout, waited: reporting is not null);
                }
            }
            // The next waiter's turn starts the moment a slot is held, and this acquire does not wait for the queue's
            // release to be answered (a round trip on a server).
            if (turnstile is not null) LetGo(turnstile);
            turnstile = null;
            var handle = new CountedLockHandle(this, won, index, hold, Stopwatch.GetElapsedTime(start));
            handedOver = true;
            return handle;
        }
        finally
        {
            reporting?.Dispose();
            if (turnstile is not null) await turnstile.DisposeAsync().ConfigureAwait(false);
            if (!handedOver)
            {
                if (!failed && reporting is not null) Journal("abandon", owner, Stopwatch.GetElapsedTime(start), holder: null);
                if (won is not null) await won.DisposeAsync().ConfigureAwait(false);
                hold.Exit();
            }
            if (leftSlot) runnerSlot!.Rejoin();
        }
    }

    /// <summary>Tries every slot without waiting and keeps the first one free. Lock files and PostgreSQL are tried one after
    /// the other (a try is a few system calls, or a pooled session's round trip, and the first free slot ends it); on Redis,
    /// where each try is a script on one connection, all at once, keeping the lowest free slot and giving back any other won in the same moment, unrecorded.</summary>
    private async ValueTask<(LockHandle? Handle, int Index)> TrySlots(long start, bool countedWaited, CancellationToken cancellationToken)
    {
        if (!_remote)
        {
            for (var i = 0; i < _slots.Length; i++)
            {
                if (await _slots[i].TryAcquirePartAsync(TimeSpan.Zero, start, countedWaited, cancellationToken).ConfigureAwait(false) is { } handle) return (handle, i);
            }
            return (null, -1);
        }
        var tries = new Task<LockHandle?>[_slots.Length];
        for (var i = 0; i < _slots.Length; i++) tries[i] = _slots[i].TryAcquirePartAsync(TimeSpan.Zero, start, countedWaited, cancellationToken, tentative: true).AsTask();
        try
        {
            await Task.WhenAll(tries).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // every try's outcome is read below: slots won are given back before any failure is thrown
        catch (Exception)
        {
        }
#pragma warning restore CA1031
        LockHandle? won = null;
        var index = -1;
        Exception? failure = null;
        for (var i = 0; i < tries.Length; i++)
        {
            if (!tries[i].IsCompletedSuccessfully)
            {
                failure ??= tries[i].Exception?.InnerException ?? new OperationCanceledException(cancellationToken);
            }
            else if (tries[i].Result is { } handle)
            {
                if (won is null)
                {
                    won = handle;
                    index = i;
                }
                else
                {
                    await handle.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        if (failure is not null)
        {
            if (won is not null) await won.DisposeAsync().ConfigureAwait(false);
            ExceptionDispatchInfo.Throw(failure);
        }
        if (won is not null) _slots[index].Confirm(won, countedWaited);
        return (won, index);
    }

    /// <summary>Releases the queue lock of an acquire that got its slot, finishing in the background when the backend
    /// answers later (a server). A release that fails there changes nothing for the slot: the server frees a lost queue
    /// lock itself (its session ends, its lease runs out).</summary>
    private static void LetGo(LockHandle turnstile)
    {
        var release = turnstile.DisposeAsync();
        if (!release.IsCompletedSuccessfully) _ = Finish(release);

        static async Task Finish(ValueTask release)
        {
            try
            {
                await release.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the slot is held already; the server frees a queue lock it lost
            catch (Exception)
            {
            }
#pragma warning restore CA1031
        }
    }

    private static bool Leave(RunnerSlot? slot)
    {
        slot?.Leave();
        return slot is not null;
    }

    /// <summary>Waits on every slot at once; the first one won is kept and returned at once, the other waits are cancelled
    /// (and a slot one of them won in the same moment is given back) in the background. Before anything is won, the holder
    /// records of the busy slots are checked (<see cref="CheckSlotCounts"/>) while the waits already sleep, so the check
    /// costs a handoff nothing. Returns no handle when the time ran out on all of them.
    /// On lock files and PostgreSQL the waiter also waits for the front lock (<c>quota.front</c>): once it holds it, it lets the queue go,
    /// so the next waiter arms its slot waits too, and a slot freed while the front waiter hands over goes to a waiter
    /// already waiting on it, not to one still on its way. Two waiters at most wait on the slots: the front lock's holder
    /// and the queue's. Returns whether the queue was let go (<paramref name="turnstile"/> is then released).</summary>
    private async ValueTask<(LockHandle? Handle, int Index, bool LetGo)> WaitForAny(string owner, long start, TimeSpan timeout, LockHandle turnstile, AfterResume? later, CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = new Task<LockHandle?>[_slots.Length];
        var decided = new StrongBox<bool>();
        for (var i = 0; i < _slots.Length; i++) waits[i] = WaitFor(_slots[i], start, timeout, decided, stop.Token);
        var pending = new List<Task<LockHandle?>>(waits);
        var frontWait = _front is null ? null : Unless(decided, _front.TryAcquireAsync(timeout, stop.Token));
        LockHandle? front = null;
        var letGo = false;
        // The check reads every busy slot's record (on lock files: /proc of each holder), which takes milliseconds: it runs
        // beside the waits, never in the way of a handoff, and at most once a second per lock.
        Task? check = CheckDue() ? Task.Run(() => CheckSlotCounts(owner), CancellationToken.None) : null;
        try
        {
            while (pending.Count > 0)
            {
                var done = check is null && frontWait is null
                    ? await Task.WhenAny(pending).ConfigureAwait(false)
                    : await Task.WhenAny([.. pending, .. check is null ? Array.Empty<Task>() : [check], .. frontWait is null ? Array.Empty<Task>() : [frontWait]]).ConfigureAwait(false);
                if (done == check)
                {
                    if (check.IsFaulted) ExceptionDispatchInfo.Throw(check.Exception!.InnerException!);
                    check = null;
                    continue;
                }
                if (done == frontWait)
                {
                    frontWait = null;
                    if (done.IsFaulted) ExceptionDispatchInfo.Throw(done.Exception!.InnerException!);
                    if (((Task<LockHandle?>)done).IsCompletedSuccessfully && ((Task<LockHandle?>)done).Result is { } held)
                    {
                        // At the front: the next waiter may come and wait on the slots too.
                        front = held;
                        LetGo(turnstile);
                        letGo = true;
                    }
                    continue; // no front in time: the slot waits end alike
                }
                var wait = (Task<LockHandle?>)done;
                pending.Remove(wait);
                if (wait.IsCompletedSuccessfully && wait.Result is { } handle)
                {
                    return (handle, Array.IndexOf(waits, wait), letGo);
                }
                if (wait.IsFaulted) ExceptionDispatchInfo.Throw(wait.Exception!.InnerException!);
                // Timed out, or cancelled by the caller: the others end alike.
            }
            cancellationToken.ThrowIfCancellationRequested();
            return (null, -1, letGo);
        }
        finally
        {
            Volatile.Write(ref decided.Value, true);
            // The waiter behind moves to the front, and a front wait still running is cancelled with the slot waits, once
            // a synchronous caller has resumed (both wake other threads: here, they would delay the caller's wake-up),
            // or at once for an asynchronous one. Meanwhile a slot a lost wait wins goes straight back (Unless).
            if (front is not null) AfterResume.Do(later, () => LetGo(front));
            if (frontWait is not null) pending.Add(frontWait);
            if (pending.Count == 0)
            {
                stop.Dispose();
            }
            else
            {
                // Off the winner's path: cancelling runs the losers' clean-up (abandoning their kernel waits) inline, on
                // one of the library's parked threads rather than the thread pool, whose workers spin (and yield the
                // processor) after every item. Not on the thread that woke the caller: running on after the wake-up there
                // delayed the caller's resumption (docs/benchmarks.md, the pool).
                AfterResume.Do(later, () => KernelWaitThreads.Run(() => _ = GiveBack(pending, stop)));
            }
        }

        // Each slot's wait is a part of this one: the journal gets one wait, and the slot won counts the wait from the start.
        static Task<LockHandle?> WaitFor(TestLock slot, long start, TimeSpan timeout, StrongBox<bool> decided, CancellationToken cancellationToken)
            => Unless(decided, slot.TryAcquirePartAsync(timeout, start, countedWaited: true, cancellationToken));

        // A wait that wins after the acquire was decided (another slot won, or it ended) gives the lock back at once, on the
        // thread that won it, instead of holding it until the cancelled waits are collected on the thread pool: a slot
        // (or the front) held by nobody is idle time for the next waiter, which the kernel woke with this one.
        static async Task<LockHandle?> Unless(StrongBox<bool> decided, ValueTask<LockHandle?> waiting)
        {
            var handle = await waiting.ConfigureAwait(false);
            if (handle is null || !Volatile.Read(ref decided.Value)) return handle;
            await handle.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    private long _lastCheck = long.MinValue;

    /// <summary>Whether the slot counts are due for a check: never checked by this lock, or not within the last second.</summary>
    private bool CheckDue()
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastCheck);
        return (last == long.MinValue || Stopwatch.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1)) && Interlocked.CompareExchange(ref _lastCheck, now, last) == last;
    }

    /// <summary>Waits for the cancelled slot waits to end, releasing any slot one of them won in the meantime.</summary>
    private static async Task GiveBack(List<Task<LockHandle?>> waits, CancellationTokenSource stop)
    {
        try
        {
            stop.Cancel(); // on this thread: CancelAsync would queue the callbacks to the thread pool
        }
#pragma warning disable CA1031 // a loser's clean-up that fails changes nothing for the slot won; each wait is collected below
        catch (Exception)
        {
        }
#pragma warning restore CA1031
        foreach (var wait in waits)
        {
            try
            {
                if (await wait.ConfigureAwait(false) is { } late) await late.DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a cancelled wait ends as it ends: cancelled, or failed after its winner was chosen
            catch (Exception)
            {
            }
#pragma warning restore CA1031
        }
        stop.Dispose();
    }

    /// <summary>Refuses to wait when a holder declared another slot count for this lock (or holds a slot beyond this count).</summary>
    private void CheckSlotCounts(string owner)
    {
        if (!IsExternal) return;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].RecordedHolder() is { } holder && string.Equals(holder.SlotOf, Name, StringComparison.Ordinal) && holder.Slots is { } slots && slots != Slots)
            {
                throw new SlotCountMismatchException(Name, Slots, slots, owner, holder with { Note = Label(i) });
            }
        }
        if (_beyond.Value?.RecordedHolder() is { } outside && string.Equals(outside.SlotOf, Name, StringComparison.Ordinal))
        {
            throw new SlotCountMismatchException(Name, Slots, outside.Slots ?? Slots + 1, owner, outside with { Note = $"slot {Slots + 1}" });
        }
    }

    /// <summary>Ends an acquire that got no slot; one that waited is a timeout in the journal, under the counted lock's
    /// name, naming every holder.</summary>
    private CountedLockHandle? Fail(string owner, long start, bool throwOnTimeout, bool waited)
    {
        if (!waited && !throwOnTimeout) return null;
        var elapsed = Stopwatch.GetElapsedTime(start);
        var holders = GetHoldersSafely();
        if (waited) Journal("timeout", owner, elapsed, holders.Count == 0 ? null : string.Join("; ", holders));
        if (!throwOnTimeout) return null;
        throw new LockTimeoutException(Name, Location, elapsed, Slots, holders);
    }

    /// <summary>Writes a journal line for the counted lock as a whole (a wait that ended without a slot).</summary>
    private void Journal(string kind, string owner, TimeSpan waited, string? holder)
    {
        if (Factory.Settings.EventsPath is { } folder) RunJournal.For(folder, Factory.Log).Write(kind, Name, LockMode.Write, owner, waited, holder);
    }

    private IReadOnlyList<LockHolder> GetHoldersSafely()
    {
        try
        {
            return GetHolders();
        }
#pragma warning disable CA1031 // diagnostics only: nothing they throw may fail the acquire
        catch (Exception)
        {
            return [];
        }
#pragma warning restore CA1031
    }

    private static TimeSpan Remaining(long start, TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return timeout;
        var left = timeout - Stopwatch.GetElapsedTime(start);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Tells the observer now, then the log and the observer every WarnAfter while the wait lasts, naming every
    /// slot's holder. Diagnostics never fail the acquire.</summary>
    private IDisposable ReportWaiting(long start)
    {
        var onWaiting = _options.OnWaiting;
        var log = Factory.Log;
        if (onWaiting is not null) log.Notify(onWaiting, Notice(start));
        return Watchdog.Watch(Factory.Settings.WarnAfter, repeat: true, _ =>
        {
            var notice = Notice(start);
            log.StillWaiting(notice);
            if (onWaiting is not null) log.Notify(onWaiting, notice);
        });
    }

    private LockWaitNotice Notice(long start)
    {
        var holders = GetHoldersSafely();
        return new LockWaitNotice(Name, Location, holders.Count == 0 ? null : holders[0], Stopwatch.GetElapsedTime(start)) { Slots = Slots, Holders = holders };
    }
}
