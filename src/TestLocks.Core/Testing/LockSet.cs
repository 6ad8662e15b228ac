namespace TestLocks.Testing;

/// <summary>
/// Takes the locks a test asks for, from every level (assembly, class, method), as one set: names are merged (a
/// name asked for both read and write is taken for write), taken in ordinal order of their full names so that two
/// tests can never deadlock on a pair, and released in reverse. The serial lock (<see cref="LockRequest.SerialLockName"/>)
/// comes first, before every other: it is the outermost lock of a test, so no test ever holds a lock while it waits for
/// the serial lock (with a [Serial] test queued, new readers wait), and a lock a test takes later in its body cannot
/// close a cycle through it. The framework packages are thin surfaces over it.
/// </summary>
public static class LockSet
{
    /// <summary>Merges <paramref name="requests"/> into the ordered list of locks that <see cref="AcquireAsync"/> takes.</summary>
    public static IReadOnlyList<TestLock> Plan(IEnumerable<LockRequest> requests, LockFactory? factory = null, LockSetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var f = factory ?? LockFactory.Default;
        var lockOptions = new LockOptions { Owner = options?.Owner, OnWaiting = options?.OnWaiting };
        var merged = new SortedDictionary<string, (TestReaderWriterLock Lock, LockMode Mode, bool Serial)>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            var rw = f.CreateReaderWriterLock(request.Name, lockOptions with { Prefix = request.Prefix });
            var serial = request.Name == LockRequest.SerialLockName;
            merged[rw.Name] = merged.TryGetValue(rw.Name, out var existing) && existing.Mode == LockMode.Write
                ? existing
                : (rw, request.Mode, serial);
        }
        return merged.Values.OrderBy(v => v.Serial ? 0 : 1) // stable: ordinal order otherwise
            .Select(v => v.Mode == LockMode.Write ? v.Lock.WriteLock : v.Lock.ReadLock).ToList();
    }

    /// <summary>Takes every lock in <paramref name="requests"/> (see <see cref="Plan"/>). If one cannot be taken, those
    /// already taken are released before the error is thrown.</summary>
    /// <exception cref="LockTimeoutException">A lock was not acquired in time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static async ValueTask<LockSetHandle> AcquireAsync(IEnumerable<LockRequest> requests, LockFactory? factory = null,
        LockSetOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(requests, factory, options);
        var handles = new List<LockHandle>(plan.Count);
        try
        {
            foreach (var @lock in plan)
            {
                handles.Add(await @lock.AcquireAsync(options?.Timeout, cancellationToken).ConfigureAwait(false));
            }
            return new LockSetHandle(handles, options?.TestId, options?.Owner);
        }
        catch
        {
            await new LockSetHandle(handles, testId: null).DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The blocking form of <see cref="AcquireAsync"/>.</summary>
    public static LockSetHandle Acquire(IEnumerable<LockRequest> requests, LockFactory? factory = null,
        LockSetOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(requests, factory, options);
        var handles = new List<LockHandle>(plan.Count);
        try
        {
            foreach (var @lock in plan) handles.Add(@lock.Acquire(options?.Timeout, cancellationToken));
            return new LockSetHandle(handles, options?.TestId, options?.Owner);
        }
        catch
        {
            new LockSetHandle(handles, testId: null).Dispose();
            throw;
        }
    }
}
