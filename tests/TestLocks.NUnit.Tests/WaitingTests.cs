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
    public async Task CancelAfter_ends_the_wait_for_a_lock()
    {
        using var held = Workspace.Hold("contended", owner: "the driving test");

        // No lock timeout but the harness's 30 s: only [CancelAfter(300)] can end this wait in time.
        var process = await RunAsync(Test("Waiting.ContendedWithCancelAfter"));

        Assert.That(process.ResultOf("Waiting.ContendedWithCancelAfter"), Does.StartWith("RESULT Failed").And.Contain("exceeded CancelAfter").And.Not.Contain("Timed out"));
        Assert.That(Workspace.Journal(), Is.Empty);
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
    public async Task Through_dotnet_test_a_waiting_test_is_reported_live_and_runs_once_the_lock_is_free()
    {
        var held = Workspace.Hold("contended", owner: "the driving test");
        var run = StartDotnetTest("FullyQualifiedName=TestLocks.NUnit.Scenarios.Waiting.Contended", "A");

        var notice = await run.WaitForLineAsync(l => l.Contains("[TestLocks] TestLocks.NUnit.Scenarios.Waiting.Contended: Waiting for lock \"contended\"", StringComparison.Ordinal),
            "the wait report through the NUnit adapter");
        var phasesWhileWaiting = PhasesOf(run);
        held.Dispose();
        var exitCode = await run.ExitCodeAsync();

        Assert.That(notice, Does.Contain("(the driving test)"));
        Assert.That(phasesWhileWaiting, Is.Empty);
        Assert.That(exitCode, Is.Zero, string.Join(Environment.NewLine, run.Output));
        Assert.That(PhasesOf(run), Is.EqualTo(new[] { "setup", "body" }));
    }
}
