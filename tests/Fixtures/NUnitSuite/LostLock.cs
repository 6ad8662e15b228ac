namespace Fx.LostLock;

/// <summary>Holds "lost-lock" on the lock server of TESTLOCKS_BACKEND_URL and waits for nothing but its test's
/// cancellation (ten minutes of CancelAfter): only the loss of that lock ends it sooner.</summary>
public sealed class Holder() : JournaledTest("lost-lock")
{
    [Test, CancelAfter(600_000), ExternalLock("lost-lock")]
    public async Task Holds_its_lock_until_it_is_lost()
    {
        Log("holding");
        await Task.Delay(Timeout.Infinite, TestContext.CurrentContext.CancellationToken);
    }
}
