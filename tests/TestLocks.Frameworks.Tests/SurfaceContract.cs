using TestLocks.Frameworks.Tests.Harness;
using TestLocks.Xunit.Tests.CrossProcess;

namespace TestLocks.Frameworks.Tests;

/// <summary>
/// The cross-process contract of the xUnit and NUnit surfaces, for the MSTest and TUnit surfaces: each behaviour is
/// written once here and run against each framework's fixture suite (tests/Fixtures), in real test processes started
/// through the framework's own runner. The tests react to journal lines, never to a clock.
/// </summary>
public abstract class SurfaceContract
{
    private protected abstract Suite Suite { get; }

    /// <summary>The phases every marked test case journals, in order ("body" for the body of any row).</summary>
    private protected abstract string[] Phases { get; }

    /// <summary>The messages of the first two FailingPhases tests: a failing set-up and a failing clean-up phase.</summary>
    private protected abstract (string SetUp, string CleanUp) FailureMessages { get; }

    [Fact]
    public async Task Two_test_processes_run_every_phase_of_marked_tests_and_data_rows_inside_the_lock()
    {
        using var scenario = new Scenario();
        var phases = scenario.Hold("phases"); // both processes queue up on it before anything runs
        using var a = Suite.Start(scenario, "Phases");
        using var b = Suite.Start(scenario, "Phases");
        await scenario.Journal.WaitForAsync("both processes waiting for \"phases\"",
            j => j.Where(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "phases").Select(e => e.Pid).Distinct().Count() == 2, a, b);
        var released = scenario.Release(phases);

        var results = (await a.CompleteAsync()).Values.Concat((await b.CompleteAsync()).Values).ToList();

        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        var journal = scenario.Journal.Read();
        var instances = Instance.From(journal);
        Assert.Equal(results.Count, instances.Count);
        Assert.True(results.Count >= 6, $"{results.Count} results: a test and two data rows in each process");
        Assert.Equal(2, instances.Select(i => i.Pid).Distinct().Count());
        Instance.AssertNoConflictingOverlap(instances, journal);
        Instance.AssertPhases(instances, "LifecyclePhases", Phases);
        Assert.All(instances, i => Assert.True(i.First > released, $"{i.Who} ran while the harness held the lock"));
        // The harness lets go once both processes started to take "phases", so a wait may begin after that and name the
        // other process's test, or no one in the moment between two holders, instead of the harness (LiveWaitTests holds
        // the lock until the harness is named). Some wait names a holding test.
        Assert.Contains(results, r => r.Output.Contains($": Waiting for lock \"{scenario.Prefix}phases\"", StringComparison.Ordinal)
                                      && r.Output.Contains(" held by pid ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_test_processes_never_overlap_tests_that_share_a_name_from_the_method_the_class_or_the_assembly()
    {
        using var scenario = new Scenario();
        using var a = Suite.Start(scenario, "Names");
        using var b = Suite.Start(scenario, "Names");

        var results = (await a.CompleteAsync()).Values.Concat((await b.CompleteAsync()).Values).ToList();

        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        Assert.Equal(8, results.Count);
        var journal = scenario.Journal.Read();
        var instances = Instance.From(journal);
        Assert.Equal(8, instances.Count);
        Instance.AssertNoConflictingOverlap(instances, journal); // names-a, names-b, and assembly-lock read by all but AssemblyWriter
        // Several names are taken in ordinal order, whatever order the attribute gives them in, after the serial lock,
        // which is every test's outermost lock (docs/design.md).
        foreach (var process in journal.Where(e => e.What == "acquiring" && e.Who.Contains("SeveralNames", StringComparison.Ordinal)).GroupBy(e => e.Pid))
        {
            var taken = process.Select(e => e.Detail).ToList();
            Assert.Equal(4, taken.Count); // serial-rw-lock, then assembly-lock, names-a, names-b
            Assert.EndsWith("serial-rw-lock", taken[0], StringComparison.Ordinal);
            Assert.Equal(taken.Skip(1).Order(StringComparer.Ordinal), taken.Skip(1));
        }
    }

    [Fact]
    public async Task A_reader_runs_while_another_process_reads_while_a_writer_and_a_serial_test_wait_for_it()
    {
        using var scenario = new Scenario();
        var shared = scenario.Hold("shared", LockMode.Read);
        var serial = scenario.Hold(Testing.LockRequest.SerialLockName, LockMode.Read); // as any running test holds it
        using var reader = Suite.Start(scenario, "Readers");
        // The reader gets in first: once a writer waits, readers that come later queue behind it (writer preference).
        await scenario.Journal.WaitForAsync("the reader to run",
            j => j.Any(e => e.Who.StartsWith("Reader#", StringComparison.Ordinal) && e.What == "body"), reader);
        using var writer = Suite.Start(scenario, "Writers");
        using var serialTest = Suite.Start(scenario, "Serial");
        var waiting = await scenario.Journal.WaitForAsync("the reader to run, the writer and the serial test to wait",
            j => j.Any(e => e.Who.StartsWith("Reader#", StringComparison.Ordinal) && e.What == "body")
                 && j.Any(e => e.What == "acquiring" && e.Who.Contains("Writer", StringComparison.Ordinal)
                     && (e.Detail == scenario.Prefix + "shared" || e.Detail == scenario.Prefix + "serial-rw-lock"))
                 && j.Any(e => e.What == "acquiring" && e.Who.Contains("SerialTest", StringComparison.Ordinal) && e.Detail == scenario.Prefix + "serial-rw-lock"),
            reader, writer, serialTest);
        Assert.DoesNotContain(waiting, e => e.IsPhase && e.Class is "Writer" or "SerialTest");
        var released = scenario.Release(shared, serial);

        var results = new[] { await reader.CompleteAsync(), await writer.CompleteAsync(), await serialTest.CompleteAsync() }.SelectMany(r => r.Values).ToList();

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        var journal = scenario.Journal.Read();
        var instances = Instance.From(journal);
        Assert.All(instances.Where(i => i.Class is "Writer" or "SerialTest"), i => Assert.True(i.First > released));
        Instance.AssertNoConflictingOverlap(instances, journal);
    }

    [Fact]
    public async Task Unmarked_tests_wait_while_a_serial_test_runs_in_another_process()
    {
        using var scenario = new Scenario();
        var serial = scenario.Hold(Testing.LockRequest.SerialLockName); // as a [Serial] test holds it
        using var child = Suite.Start(scenario, "Unmarked");
        var waiting = await scenario.Journal.WaitForAsync("the unmarked test to wait for the serial lock",
            j => j.Any(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "serial-rw-lock"), child);
        Assert.DoesNotContain(waiting, e => e.IsPhase);
        var released = scenario.Release(serial);

        var results = await child.CompleteAsync();

        Assert.True(Assert.Single(results.Values).Passed);
        Assert.All(Instance.From(scenario.Journal.Read()), i => Assert.True(i.First > released));
    }

    [Fact]
    public async Task A_failing_set_up_or_clean_up_still_releases_the_lock_and_a_lock_timeout_fails_the_test_with_the_holder()
    {
        using var scenario = new Scenario();
        using var blocked = scenario.Hold("timeout-lock");
        using var child = Suite.Start(scenario, "Failures", new Dictionary<string, string> { ["TESTLOCKS_LOCK_TIMEOUT"] = "1" });

        var results = await child.CompleteAsync();

        var failing = results.Values.Where(r => r.Name is "First" or "Second" or "Third").ToList();
        Assert.Equal(3, failing.Count);
        Assert.Single(failing, r => !r.Passed && r.Message.Contains(FailureMessages.SetUp, StringComparison.Ordinal));
        Assert.Single(failing, r => !r.Passed && r.Message.Contains(FailureMessages.CleanUp, StringComparison.Ordinal));
        Assert.Single(failing, r => r.Passed); // it could take the lock only because both failures released it
        var timedOut = results["Times_out"];
        Assert.False(timedOut.Passed);
        Assert.Contains("LockTimeoutException", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains($"waiting for lock \"{scenario.Prefix}timeout-lock\"", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains($"held by pid {Environment.ProcessId}", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains("(harness)", timedOut.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase && e.Class == "TimesOut");
    }

    [Fact]
    public async Task Lock_names_computed_from_a_data_row_exclude_only_that_row_in_other_processes()
    {
        using var scenario = new Scenario();
        var rowA = scenario.Hold("row-a");
        var providerC = scenario.Hold("prov-c");
        using var child = Suite.Start(scenario, "Rows");
        using var bad = Suite.Start(scenario, "BadRows");
        var waiting = await scenario.Journal.WaitForAsync("row b to run while rows a and c wait for their locks",
            j => j.Any(e => e.What == "body b")
                 && j.Any(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "row-a")
                 && j.Any(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "prov-c"), child);
        Assert.DoesNotContain(waiting, e => e.What is "body a" or "body c");
        var released = scenario.Release(rowA, providerC);

        var results = await child.CompleteAsync();

        Assert.Equal(3, results.Count);
        Assert.All(results.Values, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        var journal = scenario.Journal.Read();
        Assert.All(journal.Where(e => e.What is "body a" or "body c"), e => Assert.True(e.Index > released, $"{e} ran while the harness held its lock"));
        var badRow = Assert.Single((await bad.CompleteAsync()).Values);
        Assert.False(badRow.Passed);
        Assert.Contains("the lock name template \"row-{1}\" does not fit the test case, which has 1 argument(s)", badRow.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Taking_a_held_lock_again_fails_at_once_and_cleanups_run_last_added_first()
    {
        using var scenario = new Scenario();
        using var child = Suite.Start(scenario, "Reentry");

        var results = await child.CompleteAsync();

        Assert.Equal(2, results.Count);
        Assert.All(results.Values, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
    }
}

public sealed class The_MSTest_surface : SurfaceContract
{
    private protected override Suite Suite => Suite.MSTest;

    private protected override string[] Phases => ["ctor", "TestInitialize", "body", "TestCleanup", "Dispose"];

    private protected override (string SetUp, string CleanUp) FailureMessages => ("TestInitialize failed on purpose.", "TestCleanup failed on purpose.");

    [Fact]
    public async Task A_marked_test_without_the_hook_fails_with_the_class_to_add()
    {
        using var scenario = new Scenario();
        using var child = Suite.MSTestUnregistered.Start(scenario, "Unregistered");

        var results = await child.CompleteAsync();

        Assert.True(results["Unmarked"].Passed);
        foreach (var marked in new[] { results["Marked"], results["Serial"] })
        {
            Assert.False(marked.Passed, marked.Name);
            Assert.Contains("lacks TestLocks' MSTest hook", marked.Message, StringComparison.Ordinal);
            Assert.Contains("[GlobalTestInitialize] public static Task TakeLocks(TestContext testContext) => TestLocks.MSTest.TestLocksHooks.TakeLocksAsync(testContext);", marked.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_constructor_that_throws_leaves_its_lock_held_because_MSTest_skips_GlobalTestCleanup()
    {
        // Pins MSTest 4.5's behaviour, documented in docs/mstest.md: a change in MSTest shows here.
        using var scenario = new Scenario();
        using var child = Suite.Start(scenario, "ConstructorFails", new Dictionary<string, string> { ["TESTLOCKS_LOCK_TIMEOUT"] = "1" });

        var results = await child.CompleteAsync();

        Assert.Contains("The constructor failed on purpose.", results["Constructor_throws"].Message, StringComparison.Ordinal);
        var waiting = results["Waits_for_the_failed_test"];
        Assert.False(waiting.Passed);
        Assert.Contains("LockTimeoutException", waiting.Message, StringComparison.Ordinal);
        Assert.Contains("(Fx.ConstructorFails.A_Throws.Constructor_throws)", waiting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_waiting_for_a_lock_stops_at_its_Timeout()
    {
        using var scenario = new Scenario();
        using var blocked = scenario.Hold("cancel-lock");
        using var child = Suite.Start(scenario, "Cancel");

        var result = Assert.Single((await child.CompleteAsync()).Values); // while the harness still holds the lock

        Assert.False(result.Passed);
        Assert.Contains("TakeLocks' timed out after 1000ms", result.Message, StringComparison.Ordinal); // [Timeout] covers [GlobalTestInitialize]
        Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase);
    }
}

public sealed class The_TUnit_surface : SurfaceContract
{
    private protected override Suite Suite => Suite.TUnit;

    private protected override string[] Phases => ["Before", "body", "After"];

    private protected override (string SetUp, string CleanUp) FailureMessages => ("Before(Test) failed on purpose.", "After(Test) failed on purpose.");

    [Fact]
    public async Task A_test_waiting_for_a_lock_stops_when_the_run_is_cancelled()
    {
        using var scenario = new Scenario();
        using var blocked = scenario.Hold("cancel-lock");
        using var child = Suite.Start(scenario, "Cancel");
        await scenario.Journal.WaitForAsync("the test to wait for \"cancel-lock\"",
            j => j.Any(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "cancel-lock"), child);

        child.Interrupt(); // Ctrl+C: TUnit cancels the running tests' CancellationToken

        await child.Exited.WaitAsync(TimeSpan.FromSeconds(30)); // while the harness still holds the lock
        Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase);
    }
}
