namespace TestLocks.Oslo;

/// <summary>The <see cref="Lockutils"/> calls with one lock file prefix fixed, as oslo's <c>*_with_prefix</c> factories give.</summary>
public sealed class PrefixedLockutils
{
    internal PrefixedLockutils(string lockFilePrefix)
    {
        ArgumentNullException.ThrowIfNull(lockFilePrefix);
        Prefix = lockFilePrefix;
    }

    /// <summary>The fixed prefix.</summary>
    public string Prefix { get; }

    /// <summary>oslo <c>lock_with_prefix(prefix)(name, external, lock_path)</c>.</summary>
    public LockHandle Lock(string name, bool external = false, string? lockPath = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => Lockutils.Lock(name, Prefix, external, lockPath, timeout, cancellationToken);

    /// <summary>The async form of <see cref="Lock"/>.</summary>
    public ValueTask<LockHandle> LockAsync(string name, bool external = false, string? lockPath = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => Lockutils.LockAsync(name, Prefix, external, lockPath, timeout, cancellationToken);

    /// <summary>oslo <c>synchronized_with_prefix(prefix)(name, external, lock_path)</c>.</summary>
    public void Synchronized(string name, Action action, bool external = false, string? lockPath = null)
        => Lockutils.Synchronized(name, action, Prefix, external, lockPath);

    /// <summary>The async form of <see cref="Synchronized"/>.</summary>
    public Task SynchronizedAsync(string name, Func<Task> function, bool external = false, string? lockPath = null, CancellationToken cancellationToken = default)
        => Lockutils.SynchronizedAsync(name, function, Prefix, external, lockPath, cancellationToken);

    /// <summary>oslo <c>remove_external_lock_file_with_prefix(prefix)(name, lock_path)</c>.</summary>
    public bool RemoveExternalLockFile(string name, string? lockPath = null) => Lockutils.RemoveExternalLockFile(name, Prefix, lockPath);
}
