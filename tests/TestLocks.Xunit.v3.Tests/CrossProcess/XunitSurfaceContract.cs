namespace TestLocks.Xunit.Tests.CrossProcess;

/// <summary>
/// What a user of either xUnit surface can rely on, proven with real test processes (tests/Fixtures): each behaviour is
/// written once here and run against the xUnit v2 and the xUnit v3 fixture suite.
/// </summary>
public abstract class XunitSurfaceContract
{
    private protected abstract FixtureSuite Suite { get; }

    private protected abstract FixtureSuite UnregisteredSuite { get; }

    [Fact]
    public async Task Two_test_processes_run_constructor_InitializeAsync_body_DisposeAsync_and_Dispose_of_marked_tests_inside_the_lock()
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
        Assert.Equal(8, results.Count); // 4 tests (2 theory rows among them) in each process
        var journal = scenario.Journal.Read();
        var instances = Instance.From(journal);
        Assert.Equal(8, instances.Count);
        Assert.Equal(2, instances.Select(i => i.Pid).Distinct().Count());
        Instance.AssertNoConflictingOverlap(instances, journal);
        Instance.AssertPhases(instances, "AsyncLifetimePhases", "ctor", "InitializeAsync", "body", "DisposeAsync");
        Instance.AssertPhases(instances, "DisposablePhases", "ctor", "body", "Dispose");
        Assert.All(instances.Where(i => i.Locks.ContainsKey("phases")), i => Assert.True(i.First > released, $"{i.Who} ran while the harness held the lock"));
        // The harness lets go once both processes started to take "phases", so a wait may begin after that and name the
        // other process's test instead of the harness (LiveWaitTests holds the lock until the harness is named).
        Assert.Contains(results, r => r.Output.Contains($": Waiting for lock \"{scenario.Prefix}phases\"", StringComparison.Ordinal));
    }

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
        Assert.Equal(2, instances.Select(i => i.Pid).Distinct().Count());
        Instance.AssertNoConflictingOverlap(instances, journal); // names-a, names-b, and assembly-lock read by all but AssemblyWriter
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
                 // The writer waits for "shared", or, once the serial test waits for its write side, for the serial lock's
                 // read side behind it (waiting writers go first).
                 // (Waiting, not only acquiring: a writer released before it found the lock held would not wait at all.)
                 && j.Any(e => e.What == "waiting" && e.Who.Contains("Writer", StringComparison.Ordinal)
                     && (e.Detail == scenario.Prefix + "shared" || e.Detail == scenario.Prefix + "serial-rw-lock"))
                 && j.Any(e => e.What == "waiting" && e.Who.Contains("SerialTest", StringComparison.Ordinal) && e.Detail == scenario.Prefix + "serial-rw-lock"),
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
        // As above: the writer's wait is for "shared", or for the serial lock's read side behind the waiting serial test.
        var writerOutput = results.Single(r => r.Name.Contains("Writer", StringComparison.Ordinal)).Output;
        Assert.True(writerOutput.Contains($": Waiting for lock \"{scenario.Prefix}shared\"", StringComparison.Ordinal)
                    || writerOutput.Contains($": Waiting for lock \"{scenario.Prefix}serial-rw-lock\"", StringComparison.Ordinal), writerOutput);
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
    public async Task A_failing_constructor_or_Dispose_still_releases_the_lock_and_a_lock_timeout_fails_the_test_with_the_holder()
    {
        using var scenario = new Scenario();
        using var blocked = scenario.Hold("timeout-lock");
        using var child = Suite.Start(scenario, "Failures", new Dictionary<string, string> { ["TESTLOCKS_LOCK_TIMEOUT"] = "3" });

        var results = await child.CompleteAsync();

        var failing = results.Values.Where(r => r.Name.Contains("FailingPhases", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, failing.Count);
        Assert.Single(failing, r => !r.Passed && r.Message.Contains("The constructor failed on purpose.", StringComparison.Ordinal));
        Assert.Single(failing, r => !r.Passed && r.Message.Contains("Dispose failed on purpose.", StringComparison.Ordinal));
        Assert.Single(failing, r => r.Passed); // it could take the lock only because both failures released it
        var timedOut = results.Values.Single(r => r.Name.Contains("TimesOut", StringComparison.Ordinal));
        Assert.False(timedOut.Passed);
        Assert.Contains("LockTimeoutException", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains($"waiting for lock \"{scenario.Prefix}timeout-lock\"", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains($"held by pid {Environment.ProcessId}", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains("(harness)", timedOut.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase && e.Class == "TimesOut");
    }

    [Fact]
    public async Task A_marked_test_without_the_registration_fails_with_the_line_to_add()
    {
        using var scenario = new Scenario();
        using var child = UnregisteredSuite.Start(scenario, "Unregistered");

        var results = await child.CompleteAsync();

        Assert.True(results.Values.Single(r => r.Name.EndsWith(".Unmarked", StringComparison.Ordinal)).Passed);
        foreach (var marked in results.Values.Where(r => !r.Name.EndsWith(".Unmarked", StringComparison.Ordinal)))
        {
            Assert.False(marked.Passed, marked.Name);
            Assert.Contains("hook is not registered", marked.Message, StringComparison.Ordinal);
            Assert.Contains(ExpectedRegistrationLine, marked.Message, StringComparison.Ordinal);
        }
    }

    private protected abstract string ExpectedRegistrationLine { get; }
}

public sealed class The_xUnit_v2_surface : XunitSurfaceContract
{
    private protected override FixtureSuite Suite => FixtureSuite.V2;

    private protected override FixtureSuite UnregisteredSuite => FixtureSuite.UnregisteredV2;

    private protected override string ExpectedRegistrationLine =>
        "[assembly: Xunit.TestFramework(\"TestLocks.Xunit.TestLocksTestFramework\", \"TestLocks.Xunit\")]";
}

public sealed class The_xUnit_v3_surface : XunitSurfaceContract
{
    private protected override FixtureSuite Suite => FixtureSuite.V3;

    private protected override FixtureSuite UnregisteredSuite => FixtureSuite.UnregisteredV3;

    private protected override string ExpectedRegistrationLine =>
        "[assembly: Xunit.AssemblyFixture(typeof(TestLocks.Xunit.TestLocksAssemblyFixture))]";

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
