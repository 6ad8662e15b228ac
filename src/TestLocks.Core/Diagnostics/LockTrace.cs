using System.Diagnostics;

namespace TestLocks.Diagnostics;

/// <summary>
/// What one acquire tells OpenTelemetry (<see cref="LockInstruments"/>) and the run journal (<see cref="RunJournal"/>):
/// a wait span and event when it has to wait, then the acquire, timeout or abandoned wait; <see cref="Released"/> ends the
/// hold. With no listener and no journal each call is one check and returns at once, so the uncontended path pays nothing
/// else. Never throws into the acquire: what is recorded is diagnostics.
/// </summary>
/// <remarks>A mutable struct kept as one local of the acquire; spans are started without becoming
/// <see cref="Activity.Current"/> for the caller (a hold outlives the code that took it). Their parent is the caller's
/// <see cref="Activity.Current"/>: the framework's span of the test where it makes one that is current when the test
/// takes its locks (TUnit's "test case").</remarks>
internal struct LockTrace
{
    private Activity? _wait;
    private bool _waiting;

    /// <summary>The lock is a part of a counted acquire (a slot): its own waits are not recorded, the counted acquire's
    /// one wait is (<see cref="WaitedAsPart"/>).</summary>
    public bool WaitsUntraced { get; init; }

    /// <summary>The acquire has to wait; <paramref name="holder"/> says who holds the lock (asked only when recorded).</summary>
    public void WaitStarted(TestLock @lock, string owner, Func<LockHolder?> holder)
    {
        if (WaitsUntraced || @lock.Untraced) return;
        var journal = JournalOf(@lock);
        if (!LockInstruments.Active && journal is null) return;
        var seen = Safe(holder);
        if (_waiting)
        {
            // The in-process wait is over and the wait goes on in the backend: its holder is the one to show.
            _wait?.SetTag("testlocks.holder", seen?.ToString());
            return;
        }
        _waiting = true;
        if (LockInstruments.Waiters.Enabled) LockInstruments.Waiters.Add(1, Tags(@lock));
        _wait = Start(@lock, owner, "testlocks.wait", "wait for ");
        _wait?.SetTag("testlocks.holder", seen?.ToString());
        if (seen?.ProcessId is { } pid) _wait?.SetTag("testlocks.holder.pid", pid);
        journal?.Write("wait", @lock.Name, @lock.Mode, owner, holder: seen?.ToString());
    }

    /// <summary>A counted acquire that waited <paramref name="waited"/> (for its queue and its slots) got this slot: one wait
    /// for the journal, from when the counted acquire started, so the timeline shows one wait, then the slot's hold.</summary>
    public static void WaitedAsPart(TestLock @lock, string owner, TimeSpan waited)
    {
        JournalOf(@lock)?.Write("wait", @lock.Name, @lock.Mode, owner, at: DateTime.UtcNow - waited);
    }

    /// <summary>The lock is held after <paramref name="waited"/>; returns the hold span, which <see cref="Released"/> ends.</summary>
    public Activity? Acquired(TestLock @lock, string owner, TimeSpan waited)
    {
        if (@lock.Untraced) return null;
        EndWait(@lock, waited, error: null);
        var journal = JournalOf(@lock);
        if (!LockInstruments.Active && journal is null) return null;
        var tags = Tags(@lock);
        if (LockInstruments.WaitTime.Enabled) LockInstruments.WaitTime.Record(waited.TotalSeconds, tags);
        if (LockInstruments.Holds.Enabled) LockInstruments.Holds.Add(1, tags);
        journal?.Write("acquire", @lock.Name, @lock.Mode, owner, waited);
        var hold = Start(@lock, owner, "testlocks.hold", "hold ");
        hold?.SetTag("testlocks.waited", waited.TotalSeconds);
        return hold;
    }

    /// <summary>The acquire ran out of time after <paramref name="waited"/>, the lock held by <paramref name="holder"/>.</summary>
    public void TimedOut(TestLock @lock, string owner, TimeSpan waited, LockHolder? holder)
    {
        if (WaitsUntraced || @lock.Untraced) return;
        EndWait(@lock, waited, "timed out" + (holder is null ? "" : $", held by {holder}"));
        if (LockInstruments.Timeouts.Enabled) LockInstruments.Timeouts.Add(1, Tags(@lock));
        JournalOf(@lock)?.Write("timeout", @lock.Name, @lock.Mode, owner, waited, holder?.ToString());
    }

    /// <summary>The acquire ended without the lock for another reason (cancellation, an error) while waiting.</summary>
    public void Abandoned(TestLock @lock, string owner, TimeSpan waited)
    {
        if (!_waiting) return;
        EndWait(@lock, waited, "abandoned (cancelled or failed)");
        JournalOf(@lock)?.Write("abandon", @lock.Name, @lock.Mode, owner, waited);
    }

    /// <summary>The lock was released at <paramref name="releasing"/>, held since <paramref name="acquiredAt"/> (both
    /// <see cref="Stopwatch"/> timestamps, read against the clock only when a meter or the journal takes them); ends
    /// <paramref name="hold"/>.</summary>
    public static void Released(TestLock @lock, string owner, long acquiredAt, Activity? hold, long releasing)
    {
        if (@lock.Untraced) return;
        if (hold is not null) Stop(hold);
        var journal = JournalOf(@lock);
        if (!LockInstruments.Active && journal is null) return;
        var held = Stopwatch.GetElapsedTime(acquiredAt, releasing);
        if (LockInstruments.HoldTime.Enabled) LockInstruments.HoldTime.Record(held.TotalSeconds, Tags(@lock));
        journal?.Write("release", @lock.Name, @lock.Mode, owner, held, at: DateTime.UtcNow - Stopwatch.GetElapsedTime(releasing));
    }

    private void EndWait(TestLock @lock, TimeSpan waited, string? error)
    {
        if (!_waiting) return;
        _waiting = false;
        if (LockInstruments.Waiters.Enabled) LockInstruments.Waiters.Add(-1, Tags(@lock));
        if (_wait is { } wait)
        {
            _wait = null;
            wait.SetTag("testlocks.waited", waited.TotalSeconds);
            if (error is not null) wait.SetStatus(ActivityStatusCode.Error, error);
            Stop(wait);
        }
    }

    private static RunJournal? JournalOf(TestLock @lock) =>
        @lock.Factory.Settings.EventsPath is { } folder ? RunJournal.For(folder, @lock.Factory.Log) : null;

    private static TagList Tags(TestLock @lock) => new()
    {
        { "testlocks.lock", @lock.Name },
        { "testlocks.mode", @lock.Mode == LockMode.Read ? "read" : "write" },
    };

    private static Activity? Start(TestLock @lock, string owner, string operation, string verb)
    {
        if (!LockInstruments.Source.HasListeners()) return null;
        var previous = Activity.Current;
        // The tags go in at the start, so that samplers and ActivityStarted listeners see which lock and test it is.
        var testCase = TestSpanNames.Current;
        KeyValuePair<string, object?>[] tags = testCase is null
            ?
            [
                new("testlocks.lock", @lock.Name),
                new("testlocks.mode", @lock.Mode == LockMode.Read ? "read" : "write"),
                new("testlocks.backend", @lock.BackendKind),
                new("testlocks.test", owner),
            ]
            :
            [
                new("testlocks.lock", @lock.Name),
                new("testlocks.mode", @lock.Mode == LockMode.Read ? "read" : "write"),
                new("testlocks.backend", @lock.BackendKind),
                new("testlocks.test", owner),
                new(TestSpanNames.CaseName, testCase.DisplayName),
                new(TestSpanNames.SuiteName, testCase.TestClass.Name),
            ];
        var activity = LockInstruments.Source.StartActivity(operation, ActivityKind.Internal, parentContext: default, tags);
        if (activity is null) return null;
        Activity.Current = previous; // the span is the lock's, not the caller's context
        activity.DisplayName = verb + @lock.Name;
        return activity;
    }

    private static void Stop(Activity activity)
    {
        var current = Activity.Current;
        activity.Stop();
        Activity.Current = current; // Stop makes the span's parent current; the caller's context stays as it was
    }

    private static LockHolder? Safe(Func<LockHolder?> holder)
    {
        try
        {
            return holder();
        }
#pragma warning disable CA1031 // diagnostics only: nothing they throw may fail the acquire
        catch (Exception)
        {
            return null;
        }
#pragma warning restore CA1031
    }
}
