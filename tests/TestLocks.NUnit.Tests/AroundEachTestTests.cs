namespace TestLocks.NUnit.Tests;

/// <summary>[ExternalLock] and [Serial] hold their locks around SetUp, the test and TearDown, across processes.</summary>
public sealed class AroundEachTestTests(string nunitVersion) : ScenarioTests(nunitVersion)
{
    [TestCase("setup")]
    [TestCase("body")]
    [TestCase("teardown")]
    public async Task SetUp_the_test_and_TearDown_run_inside_the_lock_while_another_process_waits(string phase)
    {
        var (first, second, notice) = await SecondWaitsForFirstAsync(Test("Phases.Locked"), phase, Test("Phases.Locked"), "phases");

        Assert.That(notice, Does.Contain($"held by pid {first.Id}").And.Contain("(TestLocks.NUnit.Scenarios.Phases.Locked)"));
        Assert.That(Workspace.Journal(), Is.EqualTo(OneAfterTheOther(first, second, "setup", "body", "teardown")));
        AssertPassed(first, second);
    }

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
    public async Task Readers_share_a_lock_and_a_writer_waits_for_all_of_them()
    {
        var reader1 = Start(Test("ReadWrite.Reader"), "R1", gate: "read");
        var reader2 = Start(Test("ReadWrite.Reader"), "R2", gate: "read");
        await Task.WhenAll(reader1.AtGateAsync("read"), reader2.AtGateAsync("read"));
        var writer = Start(Test("ReadWrite.Writer"), "W");

        await writer.WaitingForAsync("rw");
        reader1.Open();
        reader2.Open();
        await Task.WhenAll(reader1.FinishAsync(), reader2.FinishAsync(), writer.FinishAsync());

        Assert.That(Workspace.Journal().Last(), Is.EqualTo("W write"));
        AssertPassed(reader1, reader2, writer);
    }

    [Test]
    public async Task A_writer_keeps_readers_out()
    {
        var (writer, reader, _) = await SecondWaitsForFirstAsync(Test("ReadWrite.Writer"), "write", Test("ReadWrite.Reader"), "rw");

        Assert.That(Workspace.Journal(), Is.EqualTo(new[] { "A write", "B read" }));
        AssertPassed(writer, reader);
    }

    [TestCase("SerialTests.Alone", "serial", "SerialTests.Other")]
    [TestCase("SerialTests.Other", "other", "SerialTests.Alone")]
    [TestCase("SerialFixture.One", "onetimesetup", "SerialTests.Other")]
    public async Task A_serial_test_runs_while_no_other_TestLocks_test_runs(string running, string phase, string waiting)
    {
        var (first, second, _) = await SecondWaitsForFirstAsync(Test(running), phase, Test(waiting), "serial-rw-lock");

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

    [Test]
    public async Task Lock_names_computed_from_a_test_case_make_only_that_case_wait_for_another_process()
    {
        var held = Workspace.Hold("row-a", owner: "the driving test");
        var process = Start(Tests("Rows.PerCase"), "A", gate: "body b");

        var notice = await process.WaitingForAsync("row-a");
        var rowBFreeWhileAWaits = Workspace.IsFree("row-b");
        held.Dispose();
        await process.AtGateAsync("body b");
        var (rowA, rowB, providerC) = (Workspace.IsFree("row-a"), Workspace.IsFree("row-b"), Workspace.IsFree("prov-c"));
        process.Open();
        await process.FinishAsync();

        Assert.That(notice, Does.Contain("Rows.PerCase.Template(\"a\")"));
        Assert.That(rowBFreeWhileAWaits, Is.True, "case b's lock is its own");
        Assert.That((rowA, rowB, providerC), Is.EqualTo((true, false, true)), "at case b's body only row-b is held");
        Assert.That(PhasesOf(process), Is.EquivalentTo(new[] { "body a", "body b", "body c" }));
        AssertPassed(process);
    }

    [Test]
    public async Task A_lock_name_template_that_does_not_fit_the_case_fails_the_test_with_the_fix()
    {
        var process = await RunAsync(Tests("Rows.BadTemplate"));

        Assert.That(process.ResultOf("BadTemplate.Template(\"a\")"), Does.StartWith("RESULT Failed")
            .And.Contain("the lock name template \"row-{1}\" does not fit the test case, which has 1 argument(s)").And.Contain("Fix:"));
        Assert.That(Workspace.Journal(), Is.Empty);
    }
}
