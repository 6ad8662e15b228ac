namespace TestLocks.Backends.Fixture;

public sealed class LostLock
{
    /// <summary>Holds the lock "lost-lock" (prefixed by TESTLOCKS_LOCK_FILE_PREFIX) on TESTLOCKS_BACKEND_URL and waits
    /// for nothing but its test's cancellation (10 minutes of CancelAfter): only a lost lock ends it sooner.</summary>
    [Test, CancelAfter(600_000), ExternalLock("lost-lock")]
    public async Task Holds_its_lock_until_the_test_is_cancelled()
    {
        await TestContext.Out.WriteLineAsync("HOLDING");
        await Task.Delay(Timeout.Infinite, TestContext.CurrentContext.CancellationToken);
    }
}
