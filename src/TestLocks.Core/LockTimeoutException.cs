namespace TestLocks;

/// <summary>
/// A lock was not acquired within the allowed time. The message names the lock, where it lives (the lock file or
/// the backend), how long the caller waited and, when it is known, who holds it.
/// </summary>
public sealed class LockTimeoutException : TestLocksException
{
    /// <summary>Creates the exception.</summary>
    public LockTimeoutException(string lockName, string location, TimeSpan waited, LockHolder? holder)
        : base(BuildMessage(lockName, location, waited, holder))
    {
        LockName = lockName;
        Location = location;
        Waited = waited;
        Holder = holder;
    }

    /// <summary>Creates the exception for a counted lock or a pool, all of whose <paramref name="slots"/> slots stayed busy.</summary>
    public LockTimeoutException(string lockName, string location, TimeSpan waited, int slots, IReadOnlyList<LockHolder> holders)
        : base(BuildMessage(lockName, location, waited, slots, holders))
    {
        ArgumentNullException.ThrowIfNull(holders);
        LockName = lockName;
        Location = location;
        Waited = waited;
        Holder = holders.Count == 0 ? null : holders[0];
        Holders = holders;
    }

    /// <summary>For a counted lock or a pool: who held each busy slot when the wait ended; null for a plain lock.</summary>
    public IReadOnlyList<LockHolder>? Holders { get; }

    /// <summary>The lock's name, with its prefix.</summary>
    public string LockName { get; }

    /// <summary>Where the lock lives: the lock file's path, or a description of the backend.</summary>
    public string Location { get; }

    /// <summary>How long the caller waited.</summary>
    public TimeSpan Waited { get; }

    /// <summary>Who held the lock when the wait ended, when that is known.</summary>
    public LockHolder? Holder { get; }

    private static string BuildMessage(string lockName, string location, TimeSpan waited, int slots, IReadOnlyList<LockHolder> holders) =>
        $"Timed out after {waited.TotalSeconds:0.000}s waiting for a slot of \"{lockName}\" ({location}): {holders.Count} of {slots} slots held by " +
        (holders.Count == 0 ? "nobody at the end (a slot was being handed over)" : string.Join("; ", holders)) + ". " +
        "Raise the timeout ([testlocks] lock_timeout in the INI file, TESTLOCKS_LOCK_TIMEOUT, or the timeout argument), " +
        "give the lock more slots where the resource allows it, or find out why the holders keep their slots so long.";

    private static string BuildMessage(string lockName, string location, TimeSpan waited, LockHolder? holder)
    {
        var who = holder is null ? "an unknown holder" : holder.ToString();
        return $"Timed out after {waited.TotalSeconds:0.000}s waiting for lock \"{lockName}\" ({location}), held by {who}. " +
               "Raise the timeout ([testlocks] lock_timeout in the INI file, TESTLOCKS_LOCK_TIMEOUT, or the timeout argument), " +
               "or find out why the holder keeps the lock so long.";
    }
}
