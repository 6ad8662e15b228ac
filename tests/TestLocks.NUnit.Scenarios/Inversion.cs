using NUnit.Framework;
using TestLocks.Fixtures;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

// The mix of the report of a run that hung for good while another process held the lock for the first seconds
// (issue 20): every test parallel, an instance per test case, the lock declared on methods, on a class, and taken in the
// body through UseFixture(new LockFixture(...)), with two workers. A test that got the lock waited for its worker's
// slot, held by a stand-in whose test waited for that lock. In one process this mix ran through before the fix as well
// (the report needed six processes); OverdraftTests is the deterministic form of that inversion.

[Parallelizable(ParallelScope.All)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class InversionAMethodLevel
{
    [Test, ExternalLock("inversion")]
    public void M1() => Work("M1");

    [Test, ExternalLock("inversion")]
    public void M2() => Work("M2");

    [Test, ExternalLock("inversion")]
    public void M3() => Work("M3");

    [Test, ExternalLock("inversion")]
    public void M4() => Work("M4");

    internal static void Work(string test)
    {
        Journal.Write(test);
        Thread.Sleep(200); // the test's own work, as in the report: it holds the lock meanwhile
    }
}

[Parallelizable(ParallelScope.All)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[ExternalLock("inversion")]
public class InversionBClassLevel
{
    [Test]
    public void C1() => InversionAMethodLevel.Work("C1");

    [Test]
    public void C2() => InversionAMethodLevel.Work("C2");
}

[Parallelizable(ParallelScope.All)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class InversionCBodyLevel : TestLocksFixture
{
    [Test]
    public void U1()
    {
        TestContext.Progress.WriteLine($"U1 takes the lock in its body (thread {Thread.CurrentThread.Name})");
        UseFixture(new LockFixture("inversion"));
        InversionAMethodLevel.Work("U1");
    }

    [Test]
    public void U2()
    {
        TestContext.Progress.WriteLine($"U2 takes the lock in its body (thread {Thread.CurrentThread.Name})");
        UseFixture(new LockFixture("inversion"));
        InversionAMethodLevel.Work("U2");
    }
}
