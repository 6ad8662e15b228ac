using TestLocks.Backends;

namespace TestLocks.Core.Tests;

/// <summary>The real lock-file backend, counting how often a holder is read (on lock files that checks the holder's
/// process). Everything else goes to the lock files as it would without it.</summary>
internal sealed class HolderReadCountingBackend(LockBackend files) : LockBackend
{
    private int _holderReads;

    public int HolderReads => Volatile.Read(ref _holderReads);

    public override string Kind => files.Kind;

    public override string Describe(string key) => files.Describe(key);

    public override ValueTask<BackendLock?> TryAcquireAsync(string key, LockMode mode, TimeSpan timeout, LockHolder self, CancellationToken cancellationToken)
        => files.TryAcquireAsync(key, mode, timeout, self, cancellationToken);

    public override BackendLock? TryAcquire(string key, LockMode mode, TimeSpan timeout, LockHolder self, CancellationToken cancellationToken)
        => files.TryAcquire(key, mode, timeout, self, cancellationToken);

    public override ValueTask<LockHolder?> GetHolderAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _holderReads);
        return files.GetHolderAsync(key, cancellationToken);
    }
}
