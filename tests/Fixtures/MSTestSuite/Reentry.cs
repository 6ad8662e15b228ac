using TestLocks.Fixtures;

namespace Fx.Reentry;

/// <summary>Taking a lock the test's attribute holds fails at once; the base class's cleanups run last added first.</summary>
[TestClass, ExternalLock("reentry")]
public sealed class Reentrant : TestLocksTest
{
    [TestMethod]
    public async Task Taking_the_held_lock_again_fails_at_once()
    {
        await Task.Yield();
        Assert.ThrowsExactly<LockReentryException>(() => LockFactory.Default.CreateLock("reentry").Acquire());
        Assert.ThrowsExactly<LockReentryException>(() => new LockFixture("reentry").SetUp());
    }

    [TestMethod]
    public void Cleanups_run_last_added_first_inside_the_lock()
    {
        var order = new List<string>();
        UseFixture(new LockFixture("used-fixture"));
        AddCleanup(() => Assert.AreEqual("second", string.Join(",", order)));
        AddCleanup(() => order.Add("second"));
    }
}
