using TestLocks.Fixtures;

namespace TestLocks.Xunit.Tests;

public sealed class A_test_that_asks_again_for_a_lock_its_attribute_holds : TestWithFixtures
{
    [Fact, ExternalLock("inproc-reentry")]
    public void fails_at_once_with_LockReentryException()
    {
        var error = Assert.Throws<LockReentryException>(() => UseFixture(new LockFixture("inproc-reentry", factory: Probe.Factory)));
        Assert.Contains("[ExternalLock]", error.Message, StringComparison.Ordinal);
    }

    [Fact, ExternalLock("inproc-reentry-task")]
    public async Task fails_at_once_also_from_a_task_it_starts() =>
        await Task.Run(() => Assert.ThrowsAsync<LockReentryException>(() => UseFixtureAsync(new LockFixture("inproc-reentry-task", factory: Probe.Factory)).AsTask()));

    [Fact, ExternalLock("inproc-reentry-other")]
    public void can_still_take_other_locks_with_LockFixture()
    {
        var fixture = UseFixture(new LockFixture("inproc-not-on-the-attribute", factory: Probe.Factory));
        Assert.False(fixture.Handle!.IsReleased);
    }
}

public sealed class A_test_that_took_a_lock_in_an_async_fixture_or_helper : TestWithFixtures
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30); // a regression fails instead of hanging

    [Fact]
    public async Task is_refused_that_lock_again_at_once()
    {
        await UseFixtureAsync(new LockFixture("inproc-async-fixture", factory: Probe.Factory));
        await Assert.ThrowsAsync<LockReentryException>(() => Probe.Factory.CreateLock("inproc-async-fixture").AcquireAsync(Limit).AsTask());
    }

    [Fact]
    public async Task is_refused_a_lock_its_async_helper_returned()
    {
        await using var held = await TakeInHelperAsync("inproc-async-helper");
        await Assert.ThrowsAsync<LockReentryException>(() => Probe.Factory.CreateLock("inproc-async-helper").AcquireAsync(Limit).AsTask());
        Assert.Throws<LockReentryException>(() => Probe.Factory.CreateLock("inproc-async-helper").Acquire(Limit));
    }

    private static async Task<LockHandle> TakeInHelperAsync(string name)
    {
        await Task.Yield();
        return await Probe.Factory.CreateLock(name).AcquireAsync(Limit);
    }
}
