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

    [Test]
    public async Task ALockTakenInAnAsyncHelperIsRefusedAgainAtOnce()
    {
        await using var held = await TakeInHelperAsync("reentry-helper");
        Exception? caught = null;
        try
        {
            await using var wrongly = await LockFactory.Default.CreateLock("reentry-helper").AcquireAsync(TimeSpan.FromSeconds(30));
        }
        catch (LockReentryException e)
        {
            caught = e;
        }
        Assert.That(caught, Is.InstanceOf<LockReentryException>());
    }

    private static async Task<LockHandle> TakeInHelperAsync(string name)
    {
        await Task.Yield();
        return await LockFactory.Default.CreateLock(name).AcquireAsync(TimeSpan.FromSeconds(30));
    }
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
