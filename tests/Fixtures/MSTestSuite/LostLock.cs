namespace Fx.LostLock;

/// <summary>Holds "lost-lock" on the lock server of TESTLOCKS_BACKEND_URL and waits for nothing but its test's
/// cancellation, which only the loss of that lock brings.</summary>
[TestClass]
public sealed class Holder(TestContext context) : JournaledTest("lost-lock")
{
    [TestMethod, ExternalLock("lost-lock")]
    public async Task Holds_its_lock_until_it_is_lost()
    {
        Log("holding");
        await Task.Delay(Timeout.Infinite, context.CancellationToken);
    }
}
