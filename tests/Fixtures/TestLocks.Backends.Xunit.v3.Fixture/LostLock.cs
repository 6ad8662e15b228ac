namespace TestLocks.Backends.Fixture;

public sealed class LostLock
{
    /// <summary>Holds the lock "lost-lock" (prefixed by TESTLOCKS_LOCK_FILE_PREFIX) on TESTLOCKS_BACKEND_URL and waits
    /// for nothing but its test's cancellation: only a lost lock ends it.</summary>
    [Fact, ExternalLock("lost-lock")]
    public async Task Holds_its_lock_until_the_test_is_cancelled()
    {
        Console.WriteLine("HOLDING");
        await Task.Delay(Timeout.Infinite, TestContext.Current.CancellationToken);
    }
}
