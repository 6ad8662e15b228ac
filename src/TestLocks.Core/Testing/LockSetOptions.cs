namespace TestLocks.Testing;

/// <summary>Options for <see cref="LockSet"/>: who takes the locks, where wait notices go, and a timeout.</summary>
public sealed record LockSetOptions
{
    /// <summary>The test's name, recorded as the holder.</summary>
    public string? Owner { get; init; }

    /// <summary>Receives a notice when a lock has to wait, and every warn_after while it waits.</summary>
    public Action<LockWaitNotice>? OnWaiting { get; init; }

    /// <summary>How long each lock may be waited for; the configured lock_timeout when null.</summary>
    public TimeSpan? Timeout { get; init; }
}
