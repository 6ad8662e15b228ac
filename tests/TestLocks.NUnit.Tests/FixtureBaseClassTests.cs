namespace TestLocks.NUnit.Tests;

/// <summary>TestLocksFixture's UseFixture and AddCleanup, as testtools' TestCase gives them to Tempest.</summary>
public sealed class FixtureBaseClassTests(string nunitVersion) : ScenarioTests(nunitVersion)
{
    [Test]
    public async Task Cleanups_run_last_first_after_TearDown_and_fixture_cleanups_after_OneTimeTearDown()
    {
        var process = await RunAsync(Test("Cleanups.RunLastFirstAfterTearDown"));

        Assert.That(PhasesOf(process), Is.EqualTo(new[]
        {
            "body", "teardown", "cleanup-added-second", "cleanup-added-first", "onetimeteardown", "fixture-cleanup",
        }));
        AssertPassed(process);
    }

    [Test]
    public async Task Every_cleanup_runs_and_their_failures_are_reported_together()
    {
        var process = await RunAsync(Test("Cleanups.FailuresAreReportedTogether"));

        Assert.That(process.ResultOf("Cleanups.FailuresAreReportedTogether"), Does.StartWith("RESULT Failed:Error(TearDown)")
            .And.Contain("CleanupException").And.Contain("2 cleanup(s) failed")
            .And.Contain("second cleanup failed").And.Contain("first cleanup failed"));
        Assert.That(PhasesOf(process), Does.Contain("cleanup-between-failures"));
    }

    [Test]
    public async Task UseFixture_of_a_LockFixture_holds_its_lock_through_the_cleanups_registered_after_it()
    {
        var (process, freeDuringTheCleanup) = await AtGateAsync(Test("Cleanups.ALockFixtureHoldsItsLockThroughLaterCleanups"), "cleanup", () => Workspace.IsFree("used-fixture"));

        Assert.That(freeDuringTheCleanup, Is.False);
        Assert.That(Workspace.IsFree("used-fixture"), Is.True);
        AssertPassed(process);
    }

    [Test]
    public async Task A_misplaced_attribute_fails_the_test_with_the_reason_instead_of_running_it_unlocked()
    {
        var process = await RunAsync(Tests("Misuse"));

        Assert.That(process.ResultOf("FixtureScopeWithoutTheBaseClass.Test"), Does.StartWith("RESULT Failed:Invalid")
            .And.Contain("needs the class to derive from TestLocks.NUnit.TestLocksFixture"));
        Assert.That(process.ResultOf("FixtureScopeOnAMethod.Test"), Does.StartWith("RESULT Failed:Invalid").And.Contain("belongs on a test class"));
        Assert.That(process.ResultOf("NoLockName.Test"), Does.StartWith("RESULT Failed:Invalid").And.Contain("needs at least one non-empty lock name"));
    }
}
