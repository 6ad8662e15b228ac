using Medallion.Threading;

namespace TestLocks.Backends.Server;

/// <summary>
/// A lock held through DistributedLock. Its <see cref="HandleLostToken"/> fires when DistributedLock reports the
/// handle lost, or when the backend knows the connection dropped (<see cref="MarkLost"/>). A lost lock never ends
/// quietly: releasing it throws <see cref="LockLostException"/>, so the test that held it fails with the reason.
/// </summary>
/// <remarks>
/// Watching DistributedLock's token can be costly (PostgreSQL runs a monitoring query on the lock's connection that
/// every release must cancel, about 40 ms), so a backend may watch only once someone reads
/// <see cref="HandleLostToken"/>. Loss is found at release anyway: releasing on a dropped connection fails.
/// </remarks>
internal sealed class DistributedBackendLock : BackendLock
{
    private readonly CancellationTokenSource _lost = new();
    private readonly string _name;
    private readonly string _location;
    private readonly Action<DistributedBackendLock>? _onReleased;
    private readonly string _lostReason;
    private IDistributedSynchronizationHandle? _handle;
    private CancellationTokenRegistration _registration;
    private int _watching;
    private string? _reason;

    /// <param name="handle">The held DistributedLock handle.</param>
    /// <param name="name">The lock's full name, for the error.</param>
    /// <param name="location">Where it lives, for the error.</param>
    /// <param name="lostReason">What it means when DistributedLock reports the handle lost, for this backend.</param>
    /// <param name="watchNow">Watch DistributedLock's token from the start, rather than when <see cref="HandleLostToken"/> is first read.</param>
    /// <param name="onReleased">Called once after release (holder records), lost or not.</param>
    public DistributedBackendLock(IDistributedSynchronizationHandle handle, string name, string location, string lostReason, bool watchNow, Action<DistributedBackendLock>? onReleased = null)
    {
        _handle = handle;
        _name = name;
        _location = location;
        _lostReason = lostReason;
        _onReleased = onReleased;
        FencingToken = (handle as IFencedHandle)?.FencingToken;
        if (watchNow) Watch(handle);
    }

    public override CancellationToken HandleLostToken
    {
        get
        {
            if (Volatile.Read(ref _handle) is { } handle)
            {
                Watch(handle);
                // A handle may check on reading (a Redis lease's clock), firing its token now. Its callback to MarkLost may
                // still be running on another thread that fired it first: mark it here too, so this reader sees it.
                if (handle.HandleLostToken.IsCancellationRequested) MarkLost(null);
            }
            return _lost.Token;
        }
    }

    public override long? FencingToken { get; }

    private void Watch(IDistributedSynchronizationHandle handle)
    {
        if (Interlocked.Exchange(ref _watching, 1) != 0) return;
        _registration = handle.HandleLostToken.UnsafeRegister(static state => ((DistributedBackendLock)state!).MarkLost(null), this);
    }

    /// <summary>Whether the lock was lost while held.</summary>
    public bool IsLost => Volatile.Read(ref _reason) is not null;

    /// <summary>Declares the lock lost; the first reason given is kept. Thread-safe; does nothing after release.</summary>
    public void MarkLost(string? reason)
    {
        Interlocked.CompareExchange(ref _reason, reason ?? _lostReason, null);
        // Every caller cancels, not only the first: one that comes second returns with the token cancelled.
        try { _lost.Cancel(); }
        catch (ObjectDisposedException) { } // released at the same moment
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _handle, null) is not { } handle) return;
        _registration.Dispose();
        try
        {
            handle.Dispose();
        }
        catch (Exception e) when (IsLost || IsServerFailure(e))
        {
            MarkLost($"{_lostReason} (found when releasing it: {e.Message})");
        }
        Finish();
    }

    public override async ValueTask DisposeAsync()
    {
        var handle = Interlocked.Exchange(ref _handle, null);
        try
        {
            if (handle is null) return;
            await _registration.DisposeAsync().ConfigureAwait(false);
            await handle.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsLost || IsServerFailure(e))
        {
            MarkLost($"{_lostReason} (found when releasing it: {e.Message})");
        }
        finally
        {
            await base.DisposeAsync().ConfigureAwait(false); // Dispose(true): nothing left to release
        }
        Finish();
    }

    private void Finish()
    {
        _onReleased?.Invoke(this);
        var reason = Volatile.Read(ref _reason);
        _lost.Dispose();
        if (reason is not null) throw new LockLostException(_name, _location, reason);
    }

    private static bool IsServerFailure(Exception e) => e is not (OutOfMemoryException or ObjectDisposedException or ArgumentException);
}
