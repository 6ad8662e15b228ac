namespace TestLocks.Testing;

/// <summary>The locks of one test, held. Disposing releases them in reverse order of acquisition; it is idempotent.</summary>
public sealed class LockSetHandle : IDisposable, IAsyncDisposable
{
    private readonly List<LockHandle> _handles;
    private int _released;

    internal LockSetHandle(List<LockHandle> handles, string? testId, string? owner = null)
    {
        _handles = handles;
        if (testId is null) return;
        foreach (var handle in handles) handle.BelongTo(testId);
        if (owner is not null) CurrentTest.Name(testId, owner);
    }

    /// <summary>The held locks, in the order they were taken.</summary>
    public IReadOnlyList<LockHandle> Handles => _handles;

    /// <summary>Releases every lock, last taken first.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        List<Exception>? errors = null;
        for (var i = _handles.Count - 1; i >= 0; i--)
        {
            try { _handles[i].Dispose(); }
            catch (Exception e) { (errors ??= []).Add(e); }
        }
        if (errors is not null) throw new AggregateException("Releasing test locks failed.", errors);
    }

    /// <summary>Releases every lock, last taken first.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        List<Exception>? errors = null;
        for (var i = _handles.Count - 1; i >= 0; i--)
        {
            try { await _handles[i].DisposeAsync().ConfigureAwait(false); }
            catch (Exception e) { (errors ??= []).Add(e); }
        }
        if (errors is not null) throw new AggregateException("Releasing test locks failed.", errors);
    }
}
