namespace TestLocks;

/// <summary>How a lock is held. Exclusive locks are held for writing.</summary>
public enum LockMode
{
    /// <summary>Exclusive: no other reader or writer holds the lock at the same time. The default.</summary>
    Write = 0,

    /// <summary>Shared: other readers may hold the lock at the same time, writers may not.</summary>
    Read = 1,
}
