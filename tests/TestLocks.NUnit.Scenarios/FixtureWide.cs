using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

[ExternalLock("fixture-wide", Scope = LockScope.Fixture)]
public class FixtureWide : TestLocksFixture
{
    // NUnit runs the tests in name order.
    [OneTimeSetUp]
    public void OneTimeSetUp() => Journal.Write("onetimesetup");

    [Test]
    public void First() => Journal.Write("first");

    [Test]
    public void Second() => Journal.Write("second");

    [OneTimeTearDown]
    public void OneTimeTearDown() => Journal.Write("onetimeteardown");
}

[ExternalLock("fixture-wide", Scope = LockScope.Fixture)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class FixtureWidePerTestCase : TestLocksFixture
{
    [OneTimeSetUp]
    public static void OneTimeSetUp()
    {
        Journal.Write("onetimesetup");
        AddCleanup(() => Journal.Write("fixture-cleanup"));
    }

    [Test]
    public void Test()
    {
        AddCleanup(() => Journal.Write("test-cleanup"));
        Journal.Write("body");
    }

    [OneTimeTearDown]
    public static void OneTimeTearDown() => Journal.Write("onetimeteardown");
}
