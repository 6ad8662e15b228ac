using Medallion.Threading;

namespace TestLocks.Backends.Server;

/// <summary>
/// What the PostgreSQL and Redis backends share: the acquire contract of <see cref="LockBackend"/> (null on timeout,
/// <see cref="OperationCanceledException"/> on cancellation) over DistributedLock's TryAcquire, every server failure
/// turned into a <see cref="LockBackendException"/> naming backend_url, and held locks wrapped so that a lost one fails
/// its holder.
/// </summary>
internal abstract class DistributedLockBackend(BackendUrlOptions url) : LockBackend
{
    protected BackendUrlOptions Url { get; } = url;

    public override string Describe(string key) => $"{Url.Display} {KeyDescription(key)}";

    /// <summary>How the server names the lock, for messages: "key 'x'", "advisory lock 0x...".</summary>
    protected abstract string KeyDescription(string key);

    /// <summary>What a DistributedLock "handle lost" means on this server, for <see cref="LockLostException"/>.</summary>
    protected abstract string LostReason { get; }

    protected abstract ValueTask<IDistributedSynchronizationHandle?> TryAcquireCoreAsync(string key, LockMode mode, LockHolder self, TimeSpan timeout, CancellationToken cancellationToken);

    protected abstract IDistributedSynchronizationHandle? TryAcquireCore(string key, LockMode mode, LockHolder self, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>What went wrong with the server and how to fix it, or null when <paramref name="error"/> is not a server failure.</summary>
    protected abstract string? Explain(Exception error);

    /// <summary>Called when a lock was taken; returns the lock to hand out (a backend may record the holder here).</summary>
    protected virtual DistributedBackendLock OnAcquired(string key, LockMode mode, LockHolder self, IDistributedSynchronizationHandle handle)
        => new(handle, key, Describe(key), LostReason, watchNow: false);

    public sealed override async ValueTask<BackendLock?> TryAcquireAsync(string key, LockMode mode, TimeSpan timeout, LockHolder self, CancellationToken cancellationToken)
    {
        IDistributedSynchronizationHandle? handle;
        try
        {
            handle = await TryAcquireCoreAsync(key, mode, self, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Failure(e, cancellationToken) is { } failure)
        {
            throw failure;
        }
        return handle is null ? null : OnAcquired(key, mode, self, handle);
    }

    public sealed override BackendLock? TryAcquire(string key, LockMode mode, TimeSpan timeout, LockHolder self, CancellationToken cancellationToken)
    {
        IDistributedSynchronizationHandle? handle;
        try
        {
            handle = TryAcquireCore(key, mode, self, timeout, cancellationToken);
        }
        catch (Exception e) when (Failure(e, cancellationToken) is { } failure)
        {
            throw failure;
        }
        return handle is null ? null : OnAcquired(key, mode, self, handle);
    }

    /// <summary>The error to throw instead of <paramref name="error"/>, or null to let it through.</summary>
    protected LockBackendException? Failure(Exception error, CancellationToken cancellationToken)
    {
        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested) return null;
        if (error is TestLocksException) return null;
        return Explain(error) is { } problem ? new LockBackendException(Url.RawUrl, Url.Origin, problem, error) : null;
    }
}
