using NUnit.Framework;
using TestLocks.Fixtures;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

public class Reentry
{
    [Test, ExternalLock("reentry")]
    public void TakingTheSameLockInTheBodyFailsAtOnce() =>
        Assert.Throws<LockReentryException>(() => LockFactory.Default.CreateLock("reentry").Acquire());

    [Test, ExternalLock("reentry")]
    public async Task TakingTheSameLockInAnAsyncBodyFailsAtOnce()
    {
        await Task.Yield();
        Exception? caught = null;
        try
        {
            await using var wrongly = await LockFactory.Default.CreateLock("reentry").AcquireAsync();
        }
        catch (LockReentryException e)
        {
            caught = e;
        }
        Assert.That(caught, Is.InstanceOf<LockReentryException>());
    }

    [Test, ExternalLock("reentry")]
    public void ALockFixtureOfTheSameLockFailsAtOnce() =>
        Assert.Throws<LockReentryException>(() => new LockFixture("reentry").SetUp());
}

[ExternalLock("fixture-reentry", Scope = LockScope.Fixture)]
public class FixtureReentry : TestLocksFixture
{
    [Test]
    public void TakingTheFixtureLockInATestFailsAtOnce() =>
        Assert.Throws<LockReentryException>(() => LockFactory.Default.CreateLock("fixture-reentry").Acquire());

    [Test, ExternalLock("fixture-reentry")]
    public void ATestMayNameItsFixtureLockToo() => Journal.Write("body");
}

[ExternalLock("fixture-read", Scope = LockScope.Fixture, Mode = LockMode.Read)]
public class FixtureReadsTestWrites : TestLocksFixture
{
    [Test, ExternalLock("fixture-read")]
    public void Upgrade() => Journal.Write("never");
}
