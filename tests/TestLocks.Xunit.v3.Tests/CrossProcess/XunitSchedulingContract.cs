using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Xunit.Tests.CrossProcess;

/// <summary>
/// How the xUnit surfaces schedule a test that waits for a lock, proven with real test processes (tests/Fixtures). What
/// every framework surface does alike (phases, names, modes, [Serial], failures, rows, re-entry, the not-wired message)
/// is in the one contract of all five, tests/TestLocks.Frameworks.Tests/SurfaceContract.cs.
/// </summary>
public abstract class XunitSchedulingContract
{
    private protected abstract FixtureSuite Suite { get; }

    [Fact]
    public async Task A_test_waiting_for_a_lock_leaves_its_parallel_slot_to_the_other_tests_of_its_process()
    {
        using var scenario = new Scenario();
        var first = scenario.Hold("slot-first");
        using var last = scenario.Hold("slot-last");
        using var child = Suite.Start(scenario, "Slots", maxThreads: 1); // the default algorithm, one slot

        // Both tests wait at once: the first to start gave its only slot to the other while it waits.
        await scenario.Journal.WaitForAsync("both tests to wait with one parallel slot",
            j => j.Count(e => e.What == "acquiring" && e.Detail.StartsWith(scenario.Prefix + "slot-", StringComparison.Ordinal)) == 2, child);
        scenario.Release(first);
        // The test whose lock is free runs to its end while the other one still waits.
        await scenario.Journal.WaitForAsync("ReleasedFirst to run while ReleasedLast waits",
            j => j.Any(e => e.Who.StartsWith("ReleasedFirst#", StringComparison.Ordinal) && e.What == "body"), child);
        var released = scenario.Release(last);

        var results = (await child.CompleteAsync()).Values.ToList();
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        Assert.Equal(2, results.Count);
        var journal = scenario.Journal.Read();
        // One slot: ReleasedLast's life (from its constructor) starts only after ReleasedFirst's has ended.
        var lastStarts = journal.ToList().FindIndex(e => e.Who.StartsWith("ReleasedLast#", StringComparison.Ordinal) && e.IsPhase);
        Assert.True(lastStarts > released, JournalFile.Dump(journal));
        Assert.DoesNotContain(journal.Skip(lastStarts), e => e.Who.StartsWith("ReleasedFirst#", StringComparison.Ordinal) && e.IsPhase);
    }
}

public sealed class The_xUnit_v2_scheduler : XunitSchedulingContract
{
    private protected override FixtureSuite Suite => FixtureSuite.V2;
}

public sealed class The_xUnit_v3_scheduler : XunitSchedulingContract
{
    private protected override FixtureSuite Suite => FixtureSuite.V3;

    [Fact]
    public async Task A_test_back_from_its_lock_wait_goes_on_at_once_even_when_the_only_slot_is_taken()
    {
        using var scenario = new Scenario();
        var locked = scenario.Hold("overdraft");
        var beside = scenario.Hold("overdraft-b");
        using var child = FixtureSuite.V3.Start(scenario, "Overdraft", maxThreads: 1);

        // Whichever starts first waits and gives the slot to the other, which waits too.
        await scenario.Journal.WaitForAsync("both tests to take their locks",
            j => j.Count(e => e.What == "acquiring" && (e.Detail == scenario.Prefix + "overdraft" || e.Detail == scenario.Prefix + "overdraft-b")) == 2, child);
        scenario.Release(beside);
        await scenario.Journal.WaitForAsync("Beside to run in the only slot",
            j => j.Any(e => e.Who.StartsWith("Beside#", StringComparison.Ordinal) && e.What == "waiting for Locked"), child);
        // Before: Locked took its lock and waited for the slot, which Beside held while it waited for Locked.
        scenario.Release(locked);

        var results = (await child.CompleteAsync()).Values.ToList();
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        Assert.Equal(2, results.Count);
    }

    [Fact]
    public async Task A_lock_wait_that_ends_after_its_collection_has_ended_takes_no_parallel_slot()
    {
        using var scenario = new Scenario();
        using var late = scenario.Hold("late-lock"); // for the whole run: the late waits end by lock_timeout
        var lateB = scenario.Hold("late-b");
        using var child = FixtureSuite.V3.Start(scenario, "LateWaits", maxThreads: 1);

        // A test that timed out (its collection ended at 1 s) and a fire-and-forget task: both waits end afterwards.
        await scenario.Journal.WaitForAsync("both late waits to end",
            j => j.Count(e => e.What == "wait over") == 2, child);
        // LateB waited for "late-b" all along (its slot given away); now it needs one: a slot taken by a late wait would
        // leave it none, for good.
        scenario.Release(lateB);

        var results = (await child.CompleteAsync()).Values.ToList();
        var byName = results.ToDictionary(r => r.Name.Split('.')[^2]);
        Assert.True(byName["LateB"].Passed, $"{byName["LateB"].Outcome} {byName["LateB"].Message}");
        Assert.True(byName["FireAndForget"].Passed, $"{byName["FireAndForget"].Outcome} {byName["FireAndForget"].Message}");
        Assert.False(byName["TimesOutWhileWaiting"].Passed); // xUnit's Timeout ended it while it waited
        Assert.Contains(scenario.Journal.Read(), e => e.Who.StartsWith("LateB#", StringComparison.Ordinal) && e.What == "body");
    }

    [Fact]
    public async Task A_test_waiting_for_a_lock_stops_when_its_cancellation_token_fires()
    {
        using var scenario = new Scenario();
        using var blocked = scenario.Hold("cancel-lock");
        using var child = FixtureSuite.V3.Start(scenario, "Cancel");
        await scenario.Journal.WaitForAsync("the test to wait for \"cancel-lock\"",
            j => j.Any(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "cancel-lock"), child);

        child.Interrupt(); // Ctrl+C: the runner cancels the running tests' CancellationToken

        await child.Exited.WaitAsync(TimeSpan.FromSeconds(30)); // while the harness still holds the lock
        Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase);
        Assert.Contains("OperationCanceledException", child.Output, StringComparison.Ordinal);
    }
}
