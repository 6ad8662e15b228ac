namespace TestLocks.Backends;

/// <summary>A cross-process lock held in a backend. Disposing it releases the lock; disposing twice does nothing.</summary>
public abstract class BackendLock : IDisposable, IAsyncDisposable
{
    /// <summary>Fires when the backend loses the lock while it is held (connection dropped, lease expired).
    /// <see cref="CancellationToken.None"/> for backends that cannot lose a held lock, such as lock files.</summary>
    public virtual CancellationToken HandleLostToken => CancellationToken.None;

    /// <summary>The fencing token of this acquire: greater than that of every earlier acquire of the lock's write side,
    /// or null when the backend gives none (lock files, read locks). See <see cref="LockHandle.FencingToken"/>.</summary>
    public virtual long? FencingToken => null;

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the lock.</summary>
    public virtual ValueTask DisposeAsync()
    {
        Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Releases the lock; called once or more, so it must be idempotent.</summary>
    protected abstract void Dispose(bool disposing);
}
