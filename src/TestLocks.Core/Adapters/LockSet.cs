namespace TestLocks.Adapters;

/// <summary>
/// Takes the locks a test asks for, from every level (assembly, class, method), as one set: names are merged (a
/// name asked for both read and write is taken for write), taken in ordinal order of their full names so that two
/// tests can never deadlock on a pair, and released in reverse. The serial lock (<see cref="LockRequest.SerialLockName"/>)
/// comes first, before every other: it is the outermost lock of a test, so no test ever holds a lock while it waits for
/// the serial lock (with a [Serial] test queued, new readers wait), and a lock a test takes later in its body cannot
/// close a cycle through it. The framework packages are thin surfaces over it, and
/// <c>testlocks run</c> takes its locks through it.
/// </summary>
public static class LockSet
{
    private static readonly Dictionary<string, string> s_noLeases = new(StringComparer.Ordinal);

    /// <summary>Merges <paramref name="requests"/> into the ordered list of plain locks that <see cref="AcquireAsync"/> takes
    /// (counted locks and leases, <see cref="LockRequest.Slots"/> and <see cref="LockRequest.IsLease"/>, are taken in the same
    /// order but are not in this list).</summary>
    internal static IReadOnlyList<TestLock> Plan(IEnumerable<LockRequest> requests, LockFactory? factory = null, LockSetOptions? options = null)
        => [.. Steps(requests, factory, options).Where(s => s.Plain is not null).Select(s => s.Plain!)];

    /// <summary>One lock of the set: a plain lock, or a counted lock (or pool) of which one slot is taken.</summary>
    internal readonly record struct Step(TestLock? Plain, CountedLock? Counted, string? Pool);

    internal static List<Step> Steps(IEnumerable<LockRequest> requests, LockFactory? factory, LockSetOptions? options)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var f = factory ?? LockFactory.Default;
        var lockOptions = new LockOptions { Owner = options?.Owner, OnWaiting = options?.OnWaiting };
        // A test asks for a handful of locks: plain lists, merged and sorted in place, cost less per test than sorted maps.
        var plain = new List<(string Key, TestReaderWriterLock Lock, LockMode Mode, bool Serial)>(2);
        List<(string Key, CountedLock Lock, string? Pool)>? counted = null;
        foreach (var request in requests)
        {
            if (request.IsLease || request.Slots is not null)
            {
                if (request.Mode == LockMode.Read)
                {
                    throw new TestLocksException($"Lock \"{request.Name}\" is asked for with Slots = {request.Slots} (or as a lease) and Mode = Read; " +
                        "a counted lock or a pool has no read side. Drop Mode = Read, or Slots.");
                }
                var options1 = lockOptions.WithPrefix(request.Prefix);
                var c = request.IsLease ? f.CreatePool(request.Name, options1) : f.CreateSemaphore(request.Name, request.Slots!.Value, options1);
                counted ??= new(1);
                var at = -1;
                for (var i = 0; i < counted.Count && at < 0; i++) if (counted[i].Key == c.Name) at = i;
                if (at >= 0 && counted[at].Lock.Slots != c.Slots)
                {
                    throw new TestLocksException($"Counted lock \"{request.Name}\" is asked for with {counted[at].Lock.Slots} and with {c.Slots} slots by the same test. " +
                        "Give it one count everywhere.");
                }
                if (at < 0) counted.Add((c.Name, c, request.IsLease ? request.Name : null));
                continue;
            }
            var rw = f.CreateReaderWriterLock(request.Name, lockOptions.WithPrefix(request.Prefix));
            var serial = request.Name == LockRequest.SerialLockName;
            var same = -1;
            for (var i = 0; i < plain.Count && same < 0; i++) if (plain[i].Key == rw.Name) same = i;
            if (same < 0) plain.Add((rw.Name, rw, request.Mode, serial));
            else if (plain[same].Mode != LockMode.Write) plain[same] = (rw.Name, rw, request.Mode, serial);
        }
        var steps = new List<(string Key, bool Serial, Step Step)>(plain.Count + (counted?.Count ?? 0));
        foreach (var (key, rw, mode, serial) in plain) steps.Add((key, serial, new Step(mode == LockMode.Write ? rw.WriteLock : rw.ReadLock, null, null)));
        if (counted is not null) foreach (var (key, c, pool) in counted) steps.Add((key, false, new Step(null, c, pool)));
        // The serial lock first, then every lock, plain or counted, in ordinal order of its full name (names are unique
        // within each kind; a plain and a counted lock of one name keep plain first, as the stable sort did before).
        steps.Sort(static (a, b) => a.Serial != b.Serial ? (a.Serial ? -1 : 1)
            : string.CompareOrdinal(a.Key, b.Key) is var byName and not 0 ? byName : a.Step.Plain is not null ? (b.Step.Plain is not null ? 0 : -1) : (b.Step.Plain is not null ? 1 : 0));
        var result = new List<Step>(steps.Count);
        foreach (var s in steps) result.Add(s.Step);
        return result;
    }

    /// <summary>Takes every lock in <paramref name="requests"/> (see <see cref="Plan"/>; for a counted lock or a pool, one
    /// free slot). If one cannot be taken, those already taken are released before the error is thrown.</summary>
    /// <exception cref="LockTimeoutException">A lock was not acquired in time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static async ValueTask<LockSetHandle> AcquireAsync(IEnumerable<LockRequest> requests, LockFactory? factory = null,
        LockSetOptions? options = null, CancellationToken cancellationToken = default)
    {
        var steps = Steps(requests, factory, options);
        var handles = new List<LockHandle>(steps.Count);
        Dictionary<string, string>? leases = null;
        List<string>? counted = null;
        try
        {
            foreach (var step in steps)
            {
                if (step.Plain is { } plain)
                {
                    handles.Add(await plain.AcquireAsync(options?.Timeout, cancellationToken).ConfigureAwait(false));
                    continue;
                }
                var slot = await step.Counted!.AcquireAsync(options?.Timeout, cancellationToken).ConfigureAwait(false);
                handles.Add(slot.SlotHandle);
                (counted ??= []).Add(step.Counted.Name);
                if (step.Pool is { } pool) (leases ??= new(StringComparer.Ordinal))[pool] = slot.Member!;
            }
            return new LockSetHandle(handles, options?.TestId, options?.Owner) { Leases = leases ?? s_noLeases, Counted = counted ?? [] };
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
        var steps = Steps(requests, factory, options);
        var handles = new List<LockHandle>(steps.Count);
        Dictionary<string, string>? leases = null;
        List<string>? counted = null;
        try
        {
            foreach (var step in steps)
            {
                if (step.Plain is { } plain)
                {
                    handles.Add(plain.Acquire(options?.Timeout, cancellationToken));
                    continue;
                }
                var slot = step.Counted!.Acquire(options?.Timeout, cancellationToken);
                handles.Add(slot.SlotHandle);
                (counted ??= []).Add(step.Counted.Name);
                if (step.Pool is { } pool) (leases ??= new(StringComparer.Ordinal))[pool] = slot.Member!;
            }
            return new LockSetHandle(handles, options?.TestId, options?.Owner) { Leases = leases ?? s_noLeases, Counted = counted ?? [] };
        }
        catch
        {
            new LockSetHandle(handles, testId: null).Dispose();
            throw;
        }
    }
}
