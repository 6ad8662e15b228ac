using System.Diagnostics;
using TestLocks.Backends;
using TestLocks.InProcess;

namespace TestLocks;

/// <summary>
/// A held lock. Dispose it (sync or async) to release: the cross-process part first, then the in-process part.
/// Release is idempotent and thread-safe, and may happen on another thread than the acquire (async code hops threads).
/// </summary>
public sealed class LockHandle : IDisposable, IAsyncDisposable
{
    private readonly TestLock _lock;
    private readonly LockRegistry.Entry _entry;
    private readonly ReentryGuard.Hold _hold;
    private readonly long _acquiredAt;
    private BackendLock? _backendLock;
    private string? _testId;
    private int _released;

    internal LockHandle(TestLock @lock, LockRegistry.Entry entry, ReentryGuard.Hold hold, BackendLock? backendLock, string owner, long acquiredAt, TimeSpan waited)
    {
        Waited = waited;
        _lock = @lock;
        _entry = entry;
        _hold = hold;
        _backendLock = backendLock;
        Owner = owner;
        FencingToken = backendLock?.FencingToken;
        _acquiredAt = acquiredAt;
        entry.Lock.Settle(@lock.Mode, owner); // held beyond this process too: waiters here name this holder alone
        if (Adapters.CurrentTest.Id is { } testId) BelongTo(testId);
    }

    /// <summary>Makes the lock the test's while held: any flow of that test asking for it again gets
    /// <see cref="LockReentryException"/> (see <see cref="Adapters.CurrentTest"/>).</summary>
    internal void BelongTo(string testId)
    {
        if (Interlocked.CompareExchange(ref _testId, testId, null) is null) Adapters.CurrentTest.Register(testId, Name);
    }

    /// <summary>The lock's full name, prefix included.</summary>
    public string Name => _lock.Name;

    /// <summary>Whether this handle holds the lock for reading or for writing.</summary>
    public LockMode Mode => _lock.Mode;

    /// <summary>How long the acquire waited for the lock (zero when it was free at once).</summary>
    public TimeSpan Waited { get; }

    /// <summary>Who took the lock (a test name, or "pid N").</summary>
    public string Owner { get; }

    /// <summary>Fires if the backend loses the lock while it is held (a server backend's connection dropped).
    /// Lock files cannot be lost while held, so for them this never fires.</summary>
    public CancellationToken HandleLostToken => _backendLock?.HandleLostToken ?? CancellationToken.None;

    /// <summary>
    /// The fencing token of this hold of a write lock: a number greater than the token of every earlier holder of the
    /// lock, dead or alive, in any process on any machine (server backends: PostgreSQL, Redis) or in any process of
    /// this machine (lock files: a counter kept in the lock file). Null for read locks, and for a lock file whose
    /// counter could not be written.
    /// </summary>
    /// <remarks>A lock can be lost while its holder still runs (a network stall, a pause longer than the lease, a
    /// server restart), and a stale holder's write can still be on its way. A resource that can check a number refuses
    /// such writes: pass the token with every write and let the resource keep the greatest token it has seen, refusing
    /// a smaller one (compare-and-set, for example <c>UPDATE ... SET fence = @token WHERE fence &lt; @token</c>).
    /// docs/backends.md says how each backend makes it.</remarks>
    public long? FencingToken { get; }

    /// <summary>Whether the handle has been released.</summary>
    public bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>Releases the lock. Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        var releasing = Stopwatch.GetTimestamp(); // the moment it is given up, before the next holder can have it
        try
        {
            Interlocked.Exchange(ref _backendLock, null)?.Dispose();
        }
        finally
        {
            ReleaseInProcess(releasing);
        }
    }

    /// <summary>Releases the lock. Calling it again does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        var releasing = Stopwatch.GetTimestamp(); // the moment it is given up, before the next holder can have it
        try
        {
            if (Interlocked.Exchange(ref _backendLock, null) is { } backendLock) await backendLock.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            ReleaseInProcess(releasing);
        }
    }

    /// <summary>The hold's span, when something listens (see <see cref="Diagnostics.LockTelemetry"/>).</summary>
    internal Activity? Hold { get; set; }

    /// <summary>A slot tried at once with others, not yet kept by its counted acquire: its acquire and release are not
    /// recorded (see <see cref="TestLock.Confirm"/>).</summary>
    internal bool Tentative { get; set; }

    /// <summary>A counted lock's re-entry mark, which ends when this slot is released (however it is released).</summary>
    internal ReentryGuard.Hold? CountedHold { get; set; }

    /// <summary>Releases the in-process side; <paramref name="releasing"/> is when the release began (a Stopwatch
    /// timestamp), which the journal records, so that a release never appears after the next holder's acquire.</summary>
    private void ReleaseInProcess(long releasing)
    {
        CountedHold?.Exit();
        if (_testId is { } testId) Adapters.CurrentTest.Unregister(testId, Name);
        _entry.Lock.Exit(_lock.Mode, Owner);
        LockRegistry.Release(_entry);
        _hold.Exit();
        if (Tentative) return;
        // How long it was held is read from the clock only when a log, a meter or the journal takes it.
        _lock.Factory.Log.Released(_lock.Name, Owner, _acquiredAt);
        Diagnostics.LockTrace.Released(_lock, Owner, _acquiredAt, Hold, releasing);
    }
}
