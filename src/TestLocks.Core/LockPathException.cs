namespace TestLocks;

/// <summary>
/// The lock directory (lock_path) or a lock file in it cannot be used: it cannot be created, it is a file, it is not
/// writable, or a lock file is a link. The message names the path, the part that failed and why, the setting the
/// path came from, and how to fix it.
/// </summary>
public sealed class LockPathException : TestLocksException
{
    /// <summary>Creates the exception.</summary>
    public LockPathException(string path, string message, Exception? innerException = null) : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>The path that could not be used.</summary>
    public string Path { get; }
}
