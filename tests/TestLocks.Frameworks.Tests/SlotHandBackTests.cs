using TestLocks.Frameworks.Tests.Harness;
using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Frameworks.Tests;

/// <summary>
/// A test waiting for a lock gives its parallel slot back (docs/design.md, "A waiting test holds no parallel slot"), in
/// TUnit's own runner with one parallel test and in MSTest's (a Microsoft.Testing.Platform executable) with one worker:
/// both marked tests of the suite wait at once and every unmarked test runs to its end meanwhile. Event-based: the
/// harness reacts to the suite's journal, never to a clock.
/// </summary>
public sealed class SlotHandBackTests
{
    /// <summary>The runners with one parallel slot: TUnit's with one parallel test, MSTest's (a Microsoft.Testing.Platform
    /// executable) with one worker.</summary>
    public static TheoryData<string> OneSlotRunners => ["TUnit", "MSTest"];

    /// <summary>Starts <paramref name="area"/> of <paramref name="runner"/>'s suite with one parallel slot.</summary>
    private static ChildRun StartWithOneSlot(string runner, Scenario scenario, string area) => runner switch
    {
        "TUnit" => Suite.TUnit.Start(scenario, area, new Dictionary<string, string> { ["TUNIT_MAX_PARALLEL_TESTS"] = "1" }),
        "MSTest" => Suite.MSTest.Start(scenario, area, environment: null, OneMSTestWorker(scenario)),
        _ => throw new ArgumentOutOfRangeException(nameof(runner), runner, "TUnit or MSTest"),
    };

    [Theory, MemberData(nameof(OneSlotRunners))]
    public async Task A_test_waiting_for_a_lock_gives_its_only_parallel_slot_to_the_other_tests(string runner)
    {
        using var scenario = new Scenario();
        var first = scenario.Hold("slot-first");
        using var last = scenario.Hold("slot-last");
        using var child = StartWithOneSlot(runner, scenario, "Slots");

        // Before: the first marked test to start kept the runner's only slot while it waited, and nothing else ran (a
        // minute, then this wait failed).
        await scenario.Journal.WaitForAsync($"both marked tests to wait and the three unmarked ones to run, with one {runner} slot",
            j => j.Count(e => e.What == "acquiring" && e.Detail.StartsWith(scenario.Prefix + "slot-", StringComparison.Ordinal)) == 2
                 && j.Count(e => e.Who.StartsWith("Unmarked", StringComparison.Ordinal) && e.What == "body") == 3, child);
        scenario.Release(first);
        await scenario.Journal.WaitForAsync("ReleasedFirst to run while ReleasedLast waits",
            j => j.Any(e => e.Who.StartsWith("ReleasedFirst#", StringComparison.Ordinal) && e.What == "body"), child);
        scenario.Release(last);

        var results = (await child.CompleteAsync()).Values.ToList();
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        Assert.Equal(5, results.Count);
    }

    [Theory, MemberData(nameof(OneSlotRunners))]
    public async Task A_test_back_from_its_lock_wait_goes_on_at_once_even_when_the_only_slot_is_taken(string runner)
    {
        using var scenario = new Scenario();
        var locked = scenario.Hold("overdraft");
        var beside = scenario.Hold("overdraft-b");
        using var child = StartWithOneSlot(runner, scenario, "Overdraft");

        // Whichever starts first waits and gives the slot to the other, which waits too.
        await scenario.Journal.WaitForAsync("both tests to take their locks",
            j => j.Count(e => e.What == "acquiring" && (e.Detail == scenario.Prefix + "overdraft" || e.Detail == scenario.Prefix + "overdraft-b")) == 2, child);
        scenario.Release(beside);
        await scenario.Journal.WaitForAsync("Beside to run in the only slot",
            j => j.Any(e => e.Who.StartsWith("Beside#", StringComparison.Ordinal) && e.What == "waiting for Locked"), child);
        // Locked's wait ends while Beside holds the only slot: it must go on at once (an overdraft), not wait for it.
        scenario.Release(locked);

        var results = (await child.CompleteAsync()).Values.ToList();
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        Assert.Equal(2, results.Count);
    }

    /// <summary>MSTest's arguments for one worker (MSTest takes mstest:parallelism:workers from the configuration file
    /// over the suite's [assembly: Parallelize]).</summary>
    private static string[] OneMSTestWorker(Scenario scenario)
    {
        var config = Path.Combine(scenario.Directory, "one-worker.testconfig.json");
        File.WriteAllText(config, """{ "mstest": { "parallelism": { "workers": 1 } } }""");
        return ["--config-file", config];
    }

    [Fact]
    public async Task An_MSTest_test_whose_constructor_throws_frees_its_slot_though_MSTest_skips_GlobalTestCleanup()
    {
        using var scenario = new Scenario();
        // With one worker, A_Throws takes the only slot, its constructor throws and MSTest skips [GlobalTestCleanup]
        // (docs/mstest.md); B_Waits, next in MSTest's sequential phase, must still get the slot once MSTest has ended
        // A_Throws (then it waits for the lock A_Throws left held, until lock_timeout, as with MSTest's own workers).
        using var child = Suite.MSTest.Start(scenario, "ConstructorFails", new Dictionary<string, string> { ["TESTLOCKS_LOCK_TIMEOUT"] = "1" },
            OneMSTestWorker(scenario));

        var results = await child.CompleteAsync(); // before: B_Waits waited for the slot for ever (the process never ended)

        Assert.Contains("The constructor failed on purpose.", results["Constructor_throws"].Message, StringComparison.Ordinal);
        Assert.Contains("LockTimeoutException", results["Waits_for_the_failed_test"].Message, StringComparison.Ordinal);
    }
}
