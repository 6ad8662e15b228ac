namespace TestLocks.Adapters;

/// <summary>Options for <see cref="LockSet"/>: who takes the locks, where wait notices go, and a timeout.</summary>
public sealed class LockSetOptions
{
    /// <summary>The test's name, recorded as the holder.</summary>
    public string? Owner { get; init; }

    /// <summary>Receives a notice when a lock has to wait, and every warn_after while it waits.</summary>
    public Action<LockWaitNotice>? OnWaiting { get; init; }

    /// <summary>How long each lock may be waited for; the configured lock_timeout when null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The test the locks are taken for, as <see cref="CurrentTest.Id"/> will name it while the test runs. While
    /// they are held, that test asking for one of them again fails at once with <see cref="LockReentryException"/>, even
    /// where the acquire ran outside the test's async flow. Null: only the flow-based check applies.</summary>
    internal string? TestId { get; init; }
}
