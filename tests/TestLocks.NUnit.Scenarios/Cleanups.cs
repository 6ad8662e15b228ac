using NUnit.Framework;
using TestLocks.Fixtures;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

public class Cleanups : TestLocksFixture
{
    [OneTimeSetUp]
    public void OneTimeSetUp() => AddCleanup(() => Journal.Write("fixture-cleanup"));

    [TearDown]
    public void TearDown() => Journal.Write("teardown");

    [OneTimeTearDown]
    public void OneTimeTearDown() => Journal.Write("onetimeteardown");

    [Test]
    public void RunLastFirstAfterTearDown()
    {
        AddCleanup(() => Journal.Write("cleanup-added-first"));
        AddCleanup(async () =>
        {
            await Task.Yield();
            Journal.Write("cleanup-added-second");
        });
        Journal.Write("body");
    }

    [Test]
    public void FailuresAreReportedTogether()
    {
        AddCleanup(() => throw new InvalidOperationException("first cleanup failed"));
        AddCleanup(() => Journal.Write("cleanup-between-failures"));
        AddCleanup(() => throw new InvalidOperationException("second cleanup failed"));
    }

    [Test]
    public void ALockFixtureHoldsItsLockThroughLaterCleanups()
    {
        UseFixture(new LockFixture("used-fixture"));
        AddCleanup(() => Journal.Write("cleanup"));
        Journal.Write("body");
    }
}
