using TestLocks.Fixtures;

namespace Fx.Reentry;

/// <summary>Taking a lock the test's attribute holds fails at once; the base class's cleanups run last added first.</summary>
[ExternalLock("reentry")]
public sealed class Reentrant : TestWithFixtures
{
    [Fact]
    public async Task Taking_the_held_lock_again_fails_at_once()
    {
        await Task.Yield();
        Assert.Throws<LockReentryException>(() => LockFactory.Default.CreateLock("reentry").Acquire());
        Assert.Throws<LockReentryException>(() => new LockFixture("reentry").SetUp());
    }

    [Fact]
    public void Cleanups_run_last_added_first_inside_the_lock()
    {
        var order = new List<string>();
        UseFixture(new LockFixture("used-fixture"));
        AddCleanup(() => Assert.Equal("second", string.Join(",", order)));
        AddCleanup(() => order.Add("second"));
    }
}
