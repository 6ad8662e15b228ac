namespace TestLocks.NUnit.Tests;

/// <summary>[ExternalLock] and [Serial] hold their locks around SetUp, the test and TearDown, across processes: what only
/// NUnit has (levels and base classes, InstancePerTestCase, fixture-wide [Serial], parallel workers). What every framework
/// does alike (phases, readers and writers, [Serial], data rows) is in tests/TestLocks.Frameworks.Tests/SurfaceContract.cs.</summary>
public sealed class AroundEachTestTests(string nunitVersion) : ScenarioTests(nunitVersion)
{
    [Test]
    public async Task Without_a_lock_the_phases_of_two_processes_interleave()
    {
        // The control for the test above: the journal does show an overlap when there is one.
        var first = Start(Test("Phases.Unlocked"), "A", gate: "body");
        await first.AtGateAsync("body");
        var second = Start(Test("Phases.Unlocked"), "B");
        await second.FinishAsync();
        first.Open();
        await first.FinishAsync();

        Assert.That(Workspace.Journal(), Is.EqualTo(new[] { "A setup", "A body", "B setup", "B body", "B teardown", "A teardown" }));
    }

    [Test]
    public async Task With_InstancePerTestCase_Dispose_runs_inside_the_lock_and_the_constructor_before_it()
    {
        IReadOnlyList<string> whileWaiting = [];
        var (first, second, _) = await SecondWaitsForFirstAsync(Test("PerTestCase.Locked"), "dispose", Test("PerTestCase.Locked"), "phases",
            () => whileWaiting = Workspace.Journal());

        // NUnit builds an InstancePerTestCase fixture outside every wrapper: B's constructor ran while A held the lock.
        Assert.That(whileWaiting, Is.EqualTo(new[] { "A constructor", "A setup", "A body", "A dispose", "B constructor" }));
        AssertPassed(first, second);
    }

    [TestCase("Levels.MethodClassAndAssembly", "method-lock class-lock scenario-assembly serial-rw-lock", "base-class-lock a-lock")]
    [TestCase("Levels.ClassAndAssembly", "class-lock scenario-assembly serial-rw-lock", "method-lock")]
    [TestCase("AssemblyOnly.Assembly", "scenario-assembly serial-rw-lock", "class-lock method-lock")]
    [TestCase("InheritsALockedBase.FromTheBaseClass", "base-class-lock scenario-assembly serial-rw-lock", "class-lock")]
    [TestCase("Levels.SeveralNamesAndAPrefix", "a-lock b-lock tempest-az class-lock scenario-assembly", "az method-lock")]
    public async Task Locks_named_on_the_method_the_class_its_bases_and_the_assembly_are_all_held(string test, string held, string free)
    {
        var (process, (busy, taken)) = await AtGateAsync(Test(test), "body", () =>
            (held.Split(' ').Where(name => Workspace.IsFree(name)).ToList(), free.Split(' ').Where(name => !Workspace.IsFree(name)).ToList()));

        Assert.That(busy, Is.Empty, "locks that should be held but were free");
        Assert.That(taken, Is.Empty, "locks that should be free but were held");
        AssertPassed(process);
    }

    [Test]
    public async Task A_writer_keeps_readers_out()
    {
        var (writer, reader, _) = await SecondWaitsForFirstAsync(Test("ReadWrite.Writer"), "write", Test("ReadWrite.Reader"), "rw");

        Assert.That(Workspace.Journal(), Is.EqualTo(new[] { "A write", "B read" }));
        AssertPassed(writer, reader);
    }

    [Test]
    public async Task A_fixture_wide_serial_lock_keeps_other_tests_out_from_OneTimeSetUp_on()
    {
        // [Serial] on single tests (and on tests without any TestLocks attribute) is in the contract of all five
        // frameworks: tests/TestLocks.Frameworks.Tests/SurfaceContract.cs.
        var (first, second, _) = await SecondWaitsForFirstAsync(Test("SerialFixture.One"), "onetimesetup", Test("SerialTests.Other"), "serial-rw-lock");

        Assert.That(PhasesOf(second), Is.Not.Empty);
        Assert.That(Workspace.Journal().First(), Does.StartWith("A "));
        Assert.That(Workspace.Journal().Last(), Does.StartWith("B "));
        AssertPassed(first, second);
    }

    [Test]
    public async Task Tests_running_in_parallel_in_one_process_take_turns()
    {
        var process = Start(Tests("ParallelTests"), "A", gate: "inside", environment: new Dictionary<string, string> { ["SCENARIO_WORKERS"] = "2" });
        await process.AtGateAsync("inside");

        var notice = await process.WaitingForAsync("parallel");
        process.Open();
        process.Open(); // for the second test, when it reaches the gate in its turn
        await process.FinishAsync();

        Assert.That(notice, Does.Contain("in this process"));
        Assert.That(Workspace.Journal(), Is.EqualTo(new[] { "A inside", "A leaving", "A inside", "A leaving" }));
        AssertPassed(process);
    }

    [Test]
    public async Task Failures_in_SetUp_the_test_or_TearDown_still_release_the_lock()
    {
        // At the gate the failed tests' process is still running: the locks are free because TestLocks released them.
        var (process, stillHeld) = await AtGateAsync(Tests("Failures"), "still-running",
            () => new[] { "fails-in-setup", "fails-in-teardown", "fails-in-body" }.Where(name => !Workspace.IsFree(name)).ToList());

        Assert.That(stillHeld, Is.Empty);
        Assert.That(process.ResultOf("Step1SetUpFails.Test"), Does.StartWith("RESULT Failed:Error(SetUp)").And.Contain("SetUp failed on purpose"));
        Assert.That(process.ResultOf("Step2TearDownFails.Test"), Does.StartWith("RESULT Failed:Error(TearDown)").And.Contain("TearDown failed on purpose"));
        Assert.That(process.ResultOf("Step3BodyFails.Test"), Does.StartWith("RESULT Failed:Error").And.Contain("the test failed on purpose"));
        Assert.That(process.ResultOf("Step4TakesThemAgain.Test"), Does.StartWith("RESULT Passed"), "the same process takes the three locks again");
    }
}
