using TestLocks.Fixtures;

namespace Fx.Reentry;

/// <summary>Taking a lock the test's attribute holds fails at once; the base class's cleanups run last added first.</summary>
[ExternalLock("reentry"), NonParallelizable]
public sealed class Reentrant : TestLocksFixture
{
    [Test]
    public async Task Taking_the_held_lock_again_fails_at_once()
    {
        await Task.Yield();
        Assert.Throws<LockReentryException>(() => LockFactory.Default.CreateLock("reentry").Acquire());
        Assert.Throws<LockReentryException>(() => new LockFixture("reentry").SetUp());
    }

    [Test]
    public void Cleanups_run_last_added_first_inside_the_lock()
    {
        var order = new List<string>();
        UseFixture(new LockFixture("used-fixture"));
        AddCleanup(() => Assert.That(string.Join(",", order), Is.EqualTo("second")));
        AddCleanup(() => order.Add("second"));
    }
}
