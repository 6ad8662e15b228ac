namespace TestLocks.NUnit.Tests;

/// <summary>Locks with Scope = LockScope.Fixture on a TestLocksFixture: held from OneTimeSetUp to OneTimeTearDown.</summary>
public sealed class FixtureWideTests(string nunitVersion) : ScenarioTests(nunitVersion)
{
    [TestCase("onetimesetup")]
    [TestCase("second")]
    [TestCase("onetimeteardown")]
    public async Task A_fixture_wide_lock_covers_OneTimeSetUp_to_OneTimeTearDown(string phase)
    {
        var (first, second, _) = await SecondWaitsForFirstAsync(Tests("FixtureWide"), phase, Tests("FixtureWide"), "fixture-wide");

        Assert.That(Workspace.Journal(), Is.EqualTo(OneAfterTheOther(first, second, "onetimesetup", "first", "second", "onetimeteardown")));
        AssertPassed(first, second);
    }

    [Test]
    public async Task A_fixture_wide_lock_works_with_InstancePerTestCase_and_covers_the_fixture_cleanups()
    {
        var (process, freeDuringFixtureCleanup) = await AtGateAsync(Tests("FixtureWidePerTestCase"), "fixture-cleanup", () => Workspace.IsFree("fixture-wide"));

        Assert.That(freeDuringFixtureCleanup, Is.False);
        Assert.That(PhasesOf(process), Is.EqualTo(new[] { "onetimesetup", "body", "test-cleanup", "onetimeteardown", "fixture-cleanup" }));
        AssertPassed(process);
    }

    [Test]
    public async Task Taking_a_held_lock_again_inside_the_test_fails_at_once_instead_of_waiting_forever()
    {
        // Each scenario asserts the LockReentryException itself; the harness's 30 s lock timeout turns a hang into a failure.
        var process = await RunAsync("^TestLocks\\.NUnit\\.Scenarios\\.(Reentry|FixtureReentry)\\.");

        Assert.That(process.Output.Count(l => l.StartsWith("RESULT ", StringComparison.Ordinal)), Is.EqualTo(6));
        AssertPassed(process);
    }

    [Test]
    public async Task Tests_with_long_non_ascii_names_take_and_release_their_locks()
    {
        var process = await RunAsync(Tests("HostileNames"));

        Assert.That(process.Output.Count(l => l.StartsWith("RESULT Passed", StringComparison.Ordinal)), Is.EqualTo(2));
        AssertPassed(process);
        Assert.That(Workspace.IsFree("hostile-name"), Is.True);
    }

    [Test]
    public async Task A_test_cannot_ask_to_write_a_lock_its_fixture_holds_for_reading()
    {
        var process = await RunAsync(Tests("FixtureReadsTestWrites"));

        Assert.That(process.ResultOf("FixtureReadsTestWrites.Upgrade"), Does.StartWith("RESULT Failed")
            .And.Contain("\"fixture-read\" for writing").And.Contain("cannot be upgraded"));
        Assert.That(Workspace.Journal(), Is.Empty);
    }
}
