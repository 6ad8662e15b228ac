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

    /// <summary>The lock's name, with its prefix.</summary>
    public string LockName { get; }
}
