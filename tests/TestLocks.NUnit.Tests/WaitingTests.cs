namespace TestLocks.NUnit.Tests;

/// <summary>What a test that has to wait for its lock sees: live reports, timeouts, cancellation, and other processes.</summary>
public sealed class WaitingTests(string nunitVersion) : ScenarioTests(nunitVersion)
{
    [Test]
    public async Task Waits_are_reported_live_with_the_holder_and_the_time_waited()
    {
        var held = Workspace.Hold("contended", owner: "the driving test");
        var process = Start(Test("Waiting.Contended"), "A", environment: new Dictionary<string, string> { ["TESTLOCKS_WARN_AFTER"] = "0.1" });

        var first = await process.WaitingForAsync("contended");
        var later = await process.WaitForLineAsync(l => l.Contains("Waiting for lock \"contended\"", StringComparison.Ordinal) && !l.Contains(" for 0.0s,", StringComparison.Ordinal),
            "a second wait report, warn_after later");
        held.Dispose();
        await process.FinishAsync();

        Assert.That(first, Does.Contain($"held by pid {Environment.ProcessId}").And.Contain("(the driving test)").And.Contain("TestLocks.NUnit.Scenarios.Waiting.Contended"));
        Assert.That(later, Does.Contain($"held by pid {Environment.ProcessId}"));
        AssertPassed(process);
    }

    [Test]
    public async Task A_test_waiting_for_a_lock_leaves_its_worker_to_the_other_tests_of_its_process()
    {
        var first = Workspace.Hold("slot-first", owner: "the driving test");
        using var last = Workspace.Hold("slot-last", owner: "the driving test");
        var process = Start(Tests("SlotTests"), "A", gate: "first", environment: new Dictionary<string, string> { ["SCENARIO_WORKERS"] = "1" });

        // One worker: both marked tests wait at once, and the unmarked one runs meanwhile.
        await process.WaitingForAsync("slot-first");
        await process.WaitingForAsync("slot-last");
        await process.WaitForLineAsync(l => l.StartsWith("RESULT Passed", StringComparison.Ordinal) && l.Contains("SlotTests.Unmarked", StringComparison.Ordinal),
            "the unmarked test's result while both marked tests wait");
        first.Dispose();
        await process.AtGateAsync("first"); // ReleasedFirst runs while ReleasedLast waits
        Assert.That(Workspace.Journal(), Is.EqualTo(new[] { "A unmarked", "A first" }));
        process.Open();
        last.Dispose();
        await process.FinishAsync();

        Assert.That(Workspace.Journal(), Is.EqualTo(new[] { "A unmarked", "A first", "A last" }));
        AssertPassed(process);
    }

    [Test]
    public async Task A_test_back_from_its_lock_wait_goes_on_at_once_even_while_a_stand_in_runs_another_test_in_its_slot()
    {
        var held = Workspace.Hold("overdraft", owner: "the driving test");
        var process = Start(Tests("OverdraftTests"), "A", environment: new Dictionary<string, string> { ["SCENARIO_WORKERS"] = "1" });

        // One worker: Locked waits, and a stand-in runs RunsBesideIt in its slot; RunsBesideIt goes on once Locked has run.
        await process.WaitingForAsync("overdraft");
        await process.WaitForLineAsync(l => l == "PROGRESS RunsBesideIt started", "that RunsBesideIt runs in the waiting test's slot");
        held.Dispose();
        await process.FinishAsync();

        // Before: Locked held the lock and waited for the slot, RunsBesideIt waited for Locked: it failed after 30 s.
        AssertPassed(process);
        Assert.That(Workspace.Journal(), Is.EqualTo(new[] { "A locked", "A beside" }));
        Assert.That(process.Output, Does.Contain("STANDINS alive=0"), "no stand-in thread outlives the run");
    }

    [Test]
    public async Task With_two_workers_tests_that_take_one_lock_on_methods_a_class_and_in_the_body_all_run_once_another_process_lets_it_go()
    {
        var held = Workspace.Hold("inversion", owner: "another process");
        var process = Start(@"^TestLocks\.NUnit\.Scenarios\.Inversion", "A", environment: new Dictionary<string, string> { ["SCENARIO_WORKERS"] = "2" });

        // Every test queues up behind the other process: the marked ones say so, the body-level ones before they ask.
        string[] marked = ["M1", "M2", "M3", "M4", "C1", "C2"];
        foreach (var test in marked)
        {
            await process.WaitForLineAsync(l => l.StartsWith("PROGRESS [TestLocks] ", StringComparison.Ordinal) && l.Contains($".{test}: Waiting for lock \"inversion\"", StringComparison.Ordinal),
                $"that {test} waits for the lock");
        }
        await process.WaitForLineAsync(l => l.StartsWith("PROGRESS U1 takes the lock in its body", StringComparison.Ordinal), "that U1 takes the lock");
        await process.WaitForLineAsync(l => l.StartsWith("PROGRESS U2 takes the lock in its body", StringComparison.Ordinal), "that U2 takes the lock");
        held.Dispose();
        // A test that got the lock once waited here for its worker's slot, held by a stand-in whose test waited for the
        // lock: a hang, which fails here with the process's output.
        var results = await process.FinishAsync();

        Assert.That(results, Has.Count.EqualTo(8).And.All.StartsWith("RESULT Passed"));
        Assert.That(Workspace.Journal().Order(), Is.EqualTo(marked.Append("U1").Append("U2").Select(t => "A " + t).Order()));
        Assert.That(process.Output, Does.Contain("STANDINS alive=0"), "no stand-in thread outlives the run");
    }

    [Test]
    public async Task A_lock_timeout_fails_the_test_with_the_holder_named_and_SetUp_not_run()
    {
        using var held = Workspace.Hold("contended", owner: "the driving test");

        var process = await RunAsync(Test("Waiting.Contended"), new Dictionary<string, string> { ["TESTLOCKS_LOCK_TIMEOUT"] = "0.3" });

        Assert.That(process.ResultOf("Waiting.Contended"), Does.StartWith("RESULT Failed")
            .And.Contain("TestLocks.LockTimeoutException")
            .And.Contain("waiting for lock \"contended\"")
            .And.Contain("(the driving test)")
            .And.Contain("lock_timeout"));
        Assert.That(Workspace.Journal(), Is.Empty);
    }

    [Test]
    public async Task CancelAfter_measures_the_test_not_its_wait_for_the_lock_and_the_result_says_how_long_it_waited()
    {
        var held = Workspace.Hold("contended", owner: "the driving test");
        var process = Start(Test("Waiting.ContendedWithCancelAfter"), "A", environment: new Dictionary<string, string> { ["TESTLOCKS_WARN_AFTER"] = "0.5" });

        // [CancelAfter(300)]: the wait outlasts it before the lock is let go.
        await process.WaitForLineAsync(l => l.Contains("Waiting for lock \"contended\"", StringComparison.Ordinal) && l.Contains("s CPU in the last ", StringComparison.Ordinal),
            "a wait report a warn_after (0.5 s) after the wait started");
        held.Dispose();
        await process.FinishAsync();

        Assert.That(process.ResultOf("Waiting.ContendedWithCancelAfter"), Does.StartWith("RESULT Passed"));
        Assert.That(process.Output, Has.Some.StartsWith("PROPERTY TestLocks.Wait TestLocks.NUnit.Scenarios.Waiting.ContendedWithCancelAfter | [TestLocks] ")
            .And.Some.Contains("waited ").And.Some.Contains("\"contended\""));
        Assert.That(PhasesOf(process), Is.EqualTo(new[] { "setup", "body" }));
    }

    [Test]
    public async Task After_a_wait_a_test_that_outlasts_its_CancelAfter_still_fails_with_it()
    {
        var held = Workspace.Hold("contended", owner: "the driving test");
        var process = Start(Test("Waiting.ContendedThenTooSlow"), "A", environment: new Dictionary<string, string> { ["TESTLOCKS_WARN_AFTER"] = "0.5" });

        await process.WaitForLineAsync(l => l.Contains("Waiting for lock \"contended\"", StringComparison.Ordinal) && l.Contains("s CPU in the last ", StringComparison.Ordinal),
            "a wait report a warn_after (0.5 s) after the wait started");
        held.Dispose();
        await process.FinishAsync();

        Assert.That(process.ResultOf("Waiting.ContendedThenTooSlow"), Does.StartWith("RESULT Failed").And.Contain("exceeded CancelAfter value of 300ms"));
        Assert.That(PhasesOf(process), Is.EqualTo(new[] { "setup", "body" }));
    }

    [Test]
    public async Task An_NUnit_test_and_a_plain_Core_process_exclude_each_other()
    {
        var (nunit, freeWhileTheTestRuns) = await AtGateAsync(Test("Phases.Locked"), "body", () => Workspace.IsFree("phases"));
        var freeAfterIt = Workspace.IsFree("phases");

        var core = Workspace.Hold("phases", owner: "a plain Core user");
        var waiting = Start(Test("Phases.Locked"), "B");
        var notice = await waiting.WaitingForAsync("phases");
        core.Dispose();
        await waiting.FinishAsync();

        Assert.That(freeWhileTheTestRuns, Is.False);
        Assert.That(freeAfterIt, Is.True);
        Assert.That(notice, Does.Contain("(a plain Core user)"));
        AssertPassed(nunit, waiting);
    }

    [Test]
    public async Task Through_dotnet_test_in_a_terminal_a_waiting_test_is_shown_live_with_its_holder_and_runs_once_the_lock_is_free()
    {
        var held = Workspace.Hold("contended", owner: "the driving test");
        using var run = StartDotnetTestInTerminal("FullyQualifiedName=TestLocks.NUnit.Scenarios.Waiting.ContendedWithCancelAfter", "A",
            new Dictionary<string, string> { ["TESTLOCKS_WARN_AFTER"] = "1" });

        const string line = "[TestLocks] TestLocks.NUnit.Scenarios.Waiting.ContendedWithCancelAfter: Waiting for lock \"contended\" (";
        var first = await run.WaitForLineAsync(l => l.StartsWith(line, StringComparison.Ordinal), "the line saying the test waits");
        var later = await run.WaitForLineAsync(l => l.StartsWith(line, StringComparison.Ordinal) && l.Contains("s CPU in the last ", StringComparison.Ordinal),
            "a line a warn_after later with the holder's CPU time");
        var phasesWhileWaiting = Workspace.Journal();
        held.Dispose();
        var exitCode = await run.Exited.WaitAsync(TimeSpan.FromMinutes(2));
        var screen = run.Screen();

        Assert.That(exitCode, Is.Zero, run.Transcript); // its [CancelAfter(300)] did not count the wait
        Assert.That(phasesWhileWaiting, Is.Empty);
        Assert.That(PhasesOf("A"), Is.EqualTo(new[] { "setup", "body" }));
        Assert.That(first, Does.Contain($"held by pid {Environment.ProcessId} on {Environment.MachineName} (the driving test) since "));
        Assert.That(later, Does.Contain("; alive ("));
        Assert.That(screen, Has.Some.StartsWith(line).And.Some.Contains("s CPU in the last "), run.Transcript);
        Assert.That(screen, Has.Some.StartsWith("[TestLocks] TestLocks.NUnit.Scenarios.Waiting.ContendedWithCancelAfter waited "), run.Transcript);
    }
}
