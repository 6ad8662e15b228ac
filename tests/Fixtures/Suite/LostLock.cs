namespace Fx.LostLock;

/// <summary>Holds "lost-lock" on the lock server of TESTLOCKS_BACKEND_URL and waits for nothing but its test's
/// cancellation, which only the loss of that lock brings (the harness cuts the connection that holds it). xUnit v2 has
/// no cancellation for a running test: there the test waits until the harness has cut it and says so
/// (<see cref="GoOn"/>), and the lost lock fails it as it ends.</summary>
public sealed class Holder() : JournaledTest("lost-lock")
{
    [Fact, ExternalLock("lost-lock")]
    public async Task Holds_its_lock_until_it_is_lost()
    {
        Log("holding");
#if XUNIT_V3
        await Task.Delay(Timeout.Infinite, TestContext.Current.CancellationToken);
#else
        await GoOn.WhenToldAsync();
#endif
    }
}
