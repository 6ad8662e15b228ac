namespace Fx.Overdraft;

// Run with one MSTest worker (mstest:parallelism:workers 1 in a --config-file) while the harness holds both locks: once Beside runs in
// the only slot, it goes on only after Locked has run. Locked, back from its wait and holding its lock, must run at once
// (over the limit for a moment) rather than wait for the slot, which Beside holds while it waits for Locked.

internal static class Signals
{
    public static readonly ManualResetEventSlim LockedRan = new();
}

[TestClass, ExternalLock("overdraft")]
public sealed class Locked() : JournaledTest("overdraft")
{
    [TestMethod]
    public void Locked_runs()
    {
        Log("body");
        Signals.LockedRan.Set();
    }
}

[TestClass, ExternalLock("overdraft-b")]
public sealed class Beside() : JournaledTest("overdraft-b")
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Beside_runs()
    {
        Log("waiting for Locked");
        Assert.IsTrue(Signals.LockedRan.Wait(TimeSpan.FromSeconds(30), TestContext.CancellationToken),
            "Locked, back from its lock wait and holding its lock, did not run while this test ran in the only slot");
        Log("body");
    }
}
