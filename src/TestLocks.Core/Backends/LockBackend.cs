namespace TestLocks.Backends;

/// <summary>
/// Where cross-process locks live. The file backend (lock files in lock_path) is the default; backend packages
/// (TestLocks.Postgres, TestLocks.Redis) add servers shared by many machines. Every lock surface (attributes,
/// fixtures, <see cref="LockFactory"/>) works unchanged on every backend.
/// </summary>
/// <remarks>
/// A backend only takes the cross-process part of a lock. The in-process queue, re-entry checks, timeouts reported
/// to the user, logging and wait diagnostics are done once, above it, for all backends.
/// </remarks>
public abstract class LockBackend : IAsyncDisposable
{
    /// <summary>What kind of backend this is, in lower case: <c>file</c>, <c>postgres</c>, <c>redis</c>, or a third-party
    /// backend's own word. Traces carry it (the <c>testlocks.backend</c> tag).</summary>
    public abstract string Kind { get; }

    /// <summary>Where the lock <paramref name="key"/> lives, for messages: a file path, or a server and key.</summary>
    public abstract string Describe(string key);

    /// <summary>
    /// Tries to take <paramref name="key"/> in <paramref name="mode"/>, waiting at most <paramref name="timeout"/>
    /// (<see cref="TimeSpan.Zero"/>: one try; <see cref="Timeout.InfiniteTimeSpan"/>: no limit). Returns null when
    /// the time ran out; throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/>
    /// fired first, and a <see cref="TestLocksException"/> when the backend cannot be used.
    /// </summary>
    /// <param name="key">The lock's full name, prefix included, as oslo names lock files.</param>
    /// <param name="mode">Exclusive (write) or shared (read).</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="self">Who is asking, recorded where waiters can read it.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public abstract ValueTask<BackendLock?> TryAcquireAsync(string key, LockMode mode, TimeSpan timeout, LockHolder self, CancellationToken cancellationToken);

    /// <summary>The blocking form of <see cref="TryAcquireAsync"/>. Backends with a truly blocking wait override it.</summary>
    public virtual BackendLock? TryAcquire(string key, LockMode mode, TimeSpan timeout, LockHolder self, CancellationToken cancellationToken)
        => TryAcquireAsync(key, mode, timeout, self, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <summary>Who holds <paramref name="key"/> now, when the backend can tell; null when nobody does or it cannot tell.</summary>
    public virtual ValueTask<LockHolder?> GetHolderAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult<LockHolder?>(null);

    /// <summary>Removes what the backend keeps for <paramref name="key"/> (the lock file), like oslo's remove_external_lock_file.
    /// Returns false when there was nothing to remove.</summary>
    public virtual bool Remove(string key) => false;

    /// <summary>Releases connections the backend keeps.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
