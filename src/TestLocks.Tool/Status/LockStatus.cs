namespace TestLocks.Tool.Status;

/// <summary>One lock as <c>testlocks status</c> shows it.</summary>
/// <param name="Name">The lock's full name (its file name in lock_path).</param>
/// <param name="Location">The lock file's path, or the server and key.</param>
/// <param name="State">"free", "held", or "unknown" (the backend cannot tell).</param>
/// <param name="Holder">Who holds it, as far as the backend and the kernel tell.</param>
/// <param name="Activity">For a holder on this host: alive or not, and its CPU use over the sample.</param>
/// <param name="Waiters">Waiters blocked in the kernel on this lock file (Linux /proc/locks); null when unknown.</param>
/// <param name="Error">Why the state is unknown.</param>
internal sealed record LockStatus(string Name, string Location, string State, LockHolder? Holder = null, HolderActivity? Activity = null,
    int? Waiters = null, string? Error = null);
