namespace TestLocks;

/// <summary>
/// The same flow of execution (thread or async call chain) asked for a lock it already holds. TestLocks locks are
/// not re-entrant, as in oslo.concurrency; instead of hanging forever, the second request fails at once.
/// </summary>
public sealed class LockReentryException : TestLocksException
{
    /// <summary>Creates the exception for the lock <paramref name="lockName"/>.</summary>
    public LockReentryException(string lockName)
        : base($"Lock \"{lockName}\" is already held by this flow of execution (this thread or async call chain, " +
               "or a task started while it held the lock); taking it again would wait forever. " +
               "Take the lock once and share the handle, or release it before taking it again.")
    {
        LockName = lockName;
    }

    /// <summary>Creates the exception for the lock <paramref name="lockName"/>, which the running test
    /// <paramref name="testId"/> already holds through its framework package (an [ExternalLock] or [Serial] attribute).</summary>
    public LockReentryException(string lockName, string testId)
        : base($"Lock \"{lockName}\" is already held for this test (id {testId}) by its [ExternalLock] or [Serial] " +
               "attribute, from before the constructor until after disposal; taking it again inside the test would wait for " +
               "itself forever. Remove the inner LockFixture or acquire, or remove that name from the attribute.")
    {
        LockName = lockName;
    }

    /// <summary>The lock's name, with its prefix.</summary>
    public string LockName { get; }
}
