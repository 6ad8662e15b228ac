namespace TestLocks;

/// <summary>
/// A lock was lost while it was held: its backend connection dropped or its lease expired. Whatever the holder did
/// after that point was not protected; the test that held it must fail.
/// </summary>
public sealed class LockLostException : TestLocksException
{
    /// <summary>Creates the exception.</summary>
    public LockLostException(string lockName, string location, string reason)
        : base($"Lock \"{lockName}\" ({location}) was lost while held: {reason}. Work done after that point was not " +
               "protected from other holders. Check the backend server and its connection, then run the test again.")
    {
        LockName = lockName;
    }

    /// <summary>The lock's name, with its prefix.</summary>
    public string LockName { get; }
}
