#if XUNIT_V3
// Two collections run with one parallel slot while the harness holds both locks: once Beside runs in the only slot, it
// goes on only after Locked has run. Locked, back from its wait and holding its lock, must run at once (two tests in
// one slot for a moment) rather than wait for the slot: waiting there, holding the lock, for a test that waits for it,
// is the lock-order inversion that hung whole runs.
namespace Fx.Overdraft;

internal static class Signals
{
    public static readonly ManualResetEventSlim LockedRan = new();
}

[ExternalLock("overdraft")]
public sealed class Locked() : JournaledTest("overdraft")
{
    [Fact]
    public void Fact()
    {
        Log("body");
        Signals.LockedRan.Set();
    }
}

[ExternalLock("overdraft-b")]
public sealed class Beside() : JournaledTest("overdraft-b")
{
    [Fact]
    public void Fact()
    {
        Log("waiting for Locked");
        Assert.True(Signals.LockedRan.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken),
            "Locked, back from its lock wait and holding its lock, did not run while this test ran in the only slot");
        Log("body");
    }
}
#endif
