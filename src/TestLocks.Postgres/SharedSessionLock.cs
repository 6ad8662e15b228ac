using TestLocks.Backends;
using TestLocks.Backends.Server;

namespace TestLocks.Postgres;

/// <summary>
/// A lock held on this process's <see cref="HoldingSession"/>, with the others it holds there. Its
/// <see cref="HandleLostToken"/> is the session's: a lost session loses every lock on it. Releasing runs
/// <c>pg_advisory_unlock</c> on the session and throws when the session, so the lock, was lost.
/// </summary>
internal sealed class SharedSessionLock(HoldingSession session, long key, LockMode mode, LockHolder holder) : IFencedHandle
{
    private long? _fencingToken;
    private string? _record;
    private int _released;

    /// <summary>The advisory lock key.</summary>
    public long Key => key;

    /// <summary>Shared (read) or exclusive (write).</summary>
    public LockMode Mode => mode;

    /// <summary>The fencing token the grant drew (a transaction id); null for a read lock.</summary>
    public long? FencingToken
    {
        get => _fencingToken;
        set
        {
            _fencingToken = value;
            _record = null;
        }
    }

    /// <summary>The holder record, keyed, as the session's statements carry it.</summary>
    public string Record => _record ??= HolderComment.WriteKeyed(key, holder with { FencingToken = _fencingToken });

    public CancellationToken HandleLostToken
    {
        get
        {
            if (Volatile.Read(ref _released) == 0) session.Watch();
            return session.LostToken;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        session.ReleaseAsync(this).GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        await session.ReleaseAsync(this).ConfigureAwait(false);
    }
}
