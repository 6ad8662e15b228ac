namespace Fx.LostLock;

/// <summary>Holds "lost-lock" on the lock server of TESTLOCKS_BACKEND_URL and waits for nothing but its test's
/// cancellation, which only the loss of that lock brings.</summary>
public sealed class Holder() : JournaledTest("lost-lock", journalConstructor: false)
{
    [Test, ExternalLock("lost-lock")]
    public async Task Holds_its_lock_until_it_is_lost(CancellationToken cancellationToken)
    {
        Log("holding");
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
