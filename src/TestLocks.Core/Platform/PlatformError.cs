namespace TestLocks.Platform;

/// <summary>What went wrong in a platform call, in terms the engine can act on.</summary>
internal enum PlatformErrorKind
{
    /// <summary>No error.</summary>
    None,
    /// <summary>The lock is held by someone else (only from a lock request that does not wait).</summary>
    Busy,
    /// <summary>The path, or a directory on it, does not exist.</summary>
    NotFound,
    /// <summary>Permission denied.</summary>
    AccessDenied,
    /// <summary>The filesystem is read-only.</summary>
    ReadOnly,
    /// <summary>The path is a symbolic link (lock files never follow links).</summary>
    IsLink,
    /// <summary>The path is a directory.</summary>
    IsDirectory,
    /// <summary>A component of the path is a file, not a directory, or the path already exists as something else.</summary>
    NotDirectory,
    /// <summary>A blocking lock wait was called off (<see cref="WaitInterrupter"/>) before it got the lock.</summary>
    Interrupted,
    /// <summary>Anything else; the description says what.</summary>
    Other,
}

/// <summary>A failed platform call: the kind, the OS's own code, and the OS's description with that code.</summary>
internal readonly record struct PlatformError(PlatformErrorKind Kind, int Code, string Description)
{
    /// <summary>Success.</summary>
    public static PlatformError None => default;

    /// <summary>The lock is held by someone else.</summary>
    public static PlatformError Busy => new(PlatformErrorKind.Busy, 0, "the lock is held");

    /// <summary>The wait was called off.</summary>
    public static PlatformError Interrupted => new(PlatformErrorKind.Interrupted, 0, "the wait was called off");

    /// <summary>Whether this is success.</summary>
    public bool IsNone => Kind == PlatformErrorKind.None;

    public override string ToString() => Description;
}
