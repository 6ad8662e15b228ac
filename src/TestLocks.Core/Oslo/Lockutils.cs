namespace TestLocks.Oslo;

/// <summary>
/// oslo.concurrency's lockutils in .NET idiom, over <see cref="LockFactory.Default"/>. Defaults follow oslo:
/// <c>external</c> is false unless given. See README's oslo → TestLocks table.
/// </summary>
public static class Lockutils
{
    /// <summary>oslo <c>internal_lock(name)</c>: an in-process lock.</summary>
    public static TestLock InternalLock(string name) => LockFactory.Default.CreateLock(name, new LockOptions { External = false, Prefix = "" });

    /// <summary>oslo <c>external_lock(name, lock_file_prefix, lock_path)</c>: the cross-process lock (with its in-process queue).</summary>
    public static TestLock ExternalLock(string name, string? lockFilePrefix = null, string? lockPath = null)
        => LockFactory.Default.CreateLock(name, new LockOptions { Prefix = lockFilePrefix, LockPath = lockPath });

    /// <summary>oslo <c>with lock(name, lock_file_prefix, external, lock_path, fair)</c>: takes the lock and returns the
    /// handle; dispose it to release. <paramref name="timeout"/> defaults to the configured lock_timeout.</summary>
    public static LockHandle Lock(string name, string? lockFilePrefix = null, bool external = false, string? lockPath = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => Create(name, lockFilePrefix, external, lockPath).Acquire(timeout, cancellationToken);

    /// <summary>The async form of <see cref="Lock"/>.</summary>
    public static ValueTask<LockHandle> LockAsync(string name, string? lockFilePrefix = null, bool external = false, string? lockPath = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => Create(name, lockFilePrefix, external, lockPath).AcquireAsync(timeout, cancellationToken);

    /// <summary>oslo <c>@synchronized(name, ...)</c>: runs <paramref name="action"/> under the lock.</summary>
    public static void Synchronized(string name, Action action, string? lockFilePrefix = null, bool external = false, string? lockPath = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        using (Lock(name, lockFilePrefix, external, lockPath)) action();
    }

    /// <summary>oslo <c>@synchronized(name, ...)</c> for a function: runs <paramref name="function"/> under the lock and returns its result.</summary>
    public static T Synchronized<T>(string name, Func<T> function, string? lockFilePrefix = null, bool external = false, string? lockPath = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        using (Lock(name, lockFilePrefix, external, lockPath)) return function();
    }

    /// <summary>oslo <c>@synchronized</c> for async code: awaits <paramref name="function"/> under the lock.</summary>
    public static async Task SynchronizedAsync(string name, Func<Task> function, string? lockFilePrefix = null, bool external = false,
        string? lockPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        var handle = await LockAsync(name, lockFilePrefix, external, lockPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (handle.ConfigureAwait(false)) await function().ConfigureAwait(false);
    }

    /// <summary>oslo <c>@synchronized</c> for async code with a result.</summary>
    public static async Task<T> SynchronizedAsync<T>(string name, Func<Task<T>> function, string? lockFilePrefix = null, bool external = false,
        string? lockPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        var handle = await LockAsync(name, lockFilePrefix, external, lockPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (handle.ConfigureAwait(false)) return await function().ConfigureAwait(false);
    }

    /// <summary>oslo <c>remove_external_lock_file(name, lock_file_prefix, lock_path)</c>.</summary>
    public static bool RemoveExternalLockFile(string name, string? lockFilePrefix = null, string? lockPath = null)
        => LockFactory.Default.RemoveExternalLockFile(name, new LockOptions { Prefix = lockFilePrefix, LockPath = lockPath });

    /// <summary>oslo <c>synchronized_with_prefix</c>, <c>lock_with_prefix</c> and <c>remove_external_lock_file_with_prefix</c>:
    /// the same calls with <paramref name="lockFilePrefix"/> fixed.</summary>
    public static PrefixedLockutils WithPrefix(string lockFilePrefix) => new(lockFilePrefix);

    private static TestLock Create(string name, string? prefix, bool external, string? lockPath)
        => LockFactory.Default.CreateLock(name, new LockOptions { Prefix = prefix, External = external, LockPath = lockPath });
}
