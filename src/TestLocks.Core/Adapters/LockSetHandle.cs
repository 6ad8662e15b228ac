using System.Runtime.ExceptionServices;
using TestLocks.Testing;

namespace TestLocks.Adapters;

/// <summary>The locks of one test, held. Disposing releases them in reverse order of acquisition; it is idempotent.</summary>
public sealed class LockSetHandle : IDisposable, IAsyncDisposable
{
    private readonly List<LockHandle> _handles;
    private readonly string? _testId;
    private readonly IReadOnlyDictionary<string, string> _leases = new Dictionary<string, string>();
    private CancellationTokenRegistration[] _lostWatch = [];
    private int _released;

    internal LockSetHandle(List<LockHandle> handles, string? testId, string? owner = null)
    {
        _handles = handles;
        _testId = testId;
        if (testId is null) return;
        foreach (var handle in handles) handle.BelongTo(testId);
        if (owner is not null) CurrentTest.Name(testId, owner);
    }

    /// <summary>The pool members held, by pool name as asked for (<c>[Lease("database")]</c> gives "database" → "db2").
    /// While the test runs, <see cref="Lease.Current"/> reads them.</summary>
    public IReadOnlyDictionary<string, string> Leases
    {
        get => _leases;
        internal init
        {
            _leases = value;
            if (_testId is not null) Lease.Register(_testId, value);
        }
    }

    /// <summary>The full names of the counted locks and pools of which one slot (or member) is held.</summary>
    internal IReadOnlyList<string> Counted { get; init; } = [];

    /// <summary>The held locks, in the order they were taken.</summary>
    public IReadOnlyList<LockHandle> Handles => _handles;

    /// <summary>Calls <paramref name="onLost"/> when a backend loses one of these locks while they are held (a server
    /// connection dropped, a lease expired; lock files are never lost), until they are released. The test framework
    /// surfaces cancel the running test with it; the release then throws <see cref="LockLostException"/>.</summary>
    /// <param name="onLost">Called on the thread that learns of the loss, once per lost lock; it must not throw.</param>
    internal void OnLost(Action onLost)
    {
        ArgumentNullException.ThrowIfNull(onLost);
        List<CancellationTokenRegistration>? added = null;
        foreach (var handle in _handles)
        {
            var token = handle.HandleLostToken;
            if (token.CanBeCanceled) (added ??= []).Add(token.UnsafeRegister(static state => ((Action)state!)(), onLost));
        }
        if (added is not null) _lostWatch = [.. _lostWatch, .. added];
    }

    /// <summary>Whether a backend can lose one of these locks (server backends); a lock file is never lost. Per test, so
    /// that the common case (lock files) builds no callback for <see cref="OnLost"/>.</summary>
    internal bool CanBeLost
    {
        get
        {
            foreach (var handle in _handles)
            {
                if (handle.HandleLostToken.CanBeCanceled) return true;
            }
            return false;
        }
    }

    /// <summary>Releases every lock, last taken first.</summary>
    /// <exception cref="LockLostException">A lock was lost while held (the first taken other than the serial lock, when one connection lost several).</exception>
    /// <exception cref="AggregateException">Releasing failed otherwise.</exception>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        if (_testId is not null) Lease.Unregister(_testId, _leases);
        foreach (var registration in _lostWatch) registration.Dispose();
        List<Exception>? errors = null;
        for (var i = _handles.Count - 1; i >= 0; i--)
        {
            try { _handles[i].Dispose(); }
            catch (Exception e) { (errors ??= []).Add(e); }
        }
        if (errors is not null) Fail(errors);
    }

    /// <summary>Releases every lock, last taken first.</summary>
    /// <exception cref="LockLostException">A lock was lost while held (the first taken other than the serial lock, when one connection lost several).</exception>
    /// <exception cref="AggregateException">Releasing failed otherwise.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        if (_testId is not null) Lease.Unregister(_testId, _leases);
        foreach (var registration in _lostWatch) await registration.DisposeAsync().ConfigureAwait(false);
        List<Exception>? errors = null;
        for (var i = _handles.Count - 1; i >= 0; i--)
        {
            try { await _handles[i].DisposeAsync().ConfigureAwait(false); }
            catch (Exception e) { (errors ??= []).Add(e); }
        }
        if (errors is not null) Fail(errors);
    }

    /// <summary>A lost lock is the test's failure as it is; anything else is reported together.</summary>
    private static void Fail(List<Exception> errors)
    {
        // errors come last taken first. One connection lost takes every lock on it: name the test's own lock taken
        // first, not the serial lock that every test holds as its outermost lock.
        if (errors.All(e => e is LockLostException))
        {
            var lost = errors.Cast<LockLostException>().ToList();
            ExceptionDispatchInfo.Throw(lost.LastOrDefault(e => !e.LockName.EndsWith(LockRequest.SerialLockName, StringComparison.Ordinal)) ?? lost[^1]);
        }
        throw new AggregateException("Releasing test locks failed.", errors);
    }
}
