namespace TestLocks;

/// <summary>How <see cref="LockFactory"/> builds a lock. Every option has a sensible default.</summary>
public sealed record LockOptions
{
    /// <summary>The lock file prefix (oslo's <c>lock_file_prefix</c>): "tempest" and "tempest-" both give
    /// <c>tempest-NAME</c>. Null takes <see cref="TestLocksSettings.LockFilePrefix"/>; "" means no prefix.</summary>
    public string? Prefix { get; init; }

    /// <summary>True (the default) to exclude other processes too; false for an in-process lock only.</summary>
    public bool External { get; init; } = true;

    /// <summary>A lock directory for this lock instead of <see cref="TestLocksSettings.LockPath"/> (file backend only); an
    /// absolute path: a relative one is refused with <see cref="TestLocksConfigurationException"/>.</summary>
    public string? LockPath { get; init; }

    /// <summary>Who takes the lock, as waiters and logs should name it (a test name). Default: the ambient
    /// <see cref="LockOwner.Current"/>, else "pid N".</summary>
    public string? Owner { get; init; }

    /// <summary>Called when an acquire has to wait, and again every <see cref="TestLocksSettings.WarnAfter"/> while it
    /// waits, with who holds the lock. Framework packages route it to the test's output.</summary>
    public Action<LockWaitNotice>? OnWaiting { get; init; }

    /// <summary>Kept for oslo parity (<c>fair=True</c>): every TestLocks in-process lock is already FIFO-fair.</summary>
    public bool Fair { get; init; } = true;

    internal static LockOptions Default { get; } = new();
}
