using TestLocks.Fixtures;

namespace Fx.Reentry;

/// <summary>Taking a lock the test's attribute holds fails at once; the base class's cleanups run last added first.</summary>
[ExternalLock("reentry"), NotInParallel]
public sealed class Reentrant : TestLocksTest
{
    [Test]
    public async Task Taking_the_held_lock_again_fails_at_once()
    {
        await Task.Yield();
        await Assert.That(() => LockFactory.Default.CreateLock("reentry").Acquire()).Throws<LockReentryException>();
        await Assert.That(() => new LockFixture("reentry").SetUp()).Throws<LockReentryException>();
    }

    [Test]
    public void Cleanups_run_last_added_first_inside_the_lock()
    {
        var order = new List<string>();
        UseFixture(new LockFixture("used-fixture"));
        AddCleanup(() =>
        {
            if (string.Join(",", order) != "second") throw new InvalidOperationException($"cleanups ran as {string.Join(",", order)}");
        });
        AddCleanup(() => order.Add("second"));
    }
}
