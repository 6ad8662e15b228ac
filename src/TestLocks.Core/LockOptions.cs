namespace TestLocks;

/// <summary>How <see cref="LockFactory"/> builds a lock. Every option has a sensible default. (A class, not a record: an
/// options bag with a callback has no meaningful value equality.)</summary>
public sealed class LockOptions
{
    /// <summary>The lock file prefix (oslo's <c>lock_file_prefix</c>): "tempest" and "tempest-" both give
    /// <c>tempest-NAME</c>. Null takes <see cref="TestLocksSettings.LockFilePrefix"/>; "" means no prefix.</summary>
    public string? Prefix { get; init; }

    /// <summary>True (the default) to exclude other processes too; false for an in-process lock only.</summary>
    public bool External { get; init; } = true;

    /// <summary>A lock directory for this lock instead of <see cref="TestLocksSettings.LockPath"/> (file backend only); an
    /// absolute path: a relative one is refused with <see cref="TestLocksConfigurationException"/>.</summary>
    public string? LockPath { get; init; }

    /// <summary>Who takes the lock, as waiters and logs should name it (a test name). Default: the running test's name
    /// when a TestLocks framework package runs it, else "pid N".</summary>
    public string? Owner { get; init; }

    /// <summary>Called when an acquire has to wait, and again every <see cref="TestLocksSettings.WarnAfter"/> while it
    /// waits, with who holds the lock. Framework packages route it to the test's output.</summary>
    public Action<LockWaitNotice>? OnWaiting { get; init; }

    internal static LockOptions Default { get; } = new();

    /// <summary>A copy with <paramref name="prefix"/>.</summary>
    internal LockOptions WithPrefix(string? prefix) => new() { Prefix = prefix, External = External, LockPath = LockPath, Owner = Owner, OnWaiting = OnWaiting };

    /// <summary>A copy with <paramref name="external"/>.</summary>
    internal LockOptions WithExternal(bool external) => new() { Prefix = Prefix, External = external, LockPath = LockPath, Owner = Owner, OnWaiting = OnWaiting };
}
