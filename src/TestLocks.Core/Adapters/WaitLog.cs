using TestLocks.Diagnostics;

namespace TestLocks.Adapters;

/// <summary>
/// The lock waits of one test, for <see cref="LockedTest"/>: each <see cref="LockWaitNotice"/> as the line a person sees
/// live (<see cref="WaitLine"/>, the one place a wait line's format lives), and, once the test's locks are taken, one summary line for
/// its result: how long it waited, for which locks, and who held them. Lines hold visible text only (see
/// <see cref="Printable"/>): a holder's record is anyone's to write.
/// </summary>
internal sealed class WaitLog
{
    private readonly Dictionary<string, LockWaitNotice> _last = new(StringComparer.Ordinal);

    /// <summary>Starts the log of the test <paramref name="test"/> (its display name).</summary>
    public WaitLog(string test)
    {
        ArgumentException.ThrowIfNullOrEmpty(test);
        Test = test;
    }

    /// <summary>The test's display name.</summary>
    public string Test { get; }

    /// <summary>Records <paramref name="notice"/> and returns its line: "[TestLocks] TEST: Waiting for lock ...".</summary>
    public string Line(LockWaitNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        lock (_last)
        {
            // The summary names the last holder seen: a later notice that found no holder record (read in the moment
            // between two holders) does not replace one that named a holder.
            if (notice.Holder is not null || !_last.TryGetValue(notice.LockName, out var seen) || seen.Holder is null) _last[notice.LockName] = notice;
        }
        return WaitLine.For(Test, notice);
    }

    /// <summary>Whether any wait was reported.</summary>
    public bool Waited
    {
        get { lock (_last) return _last.Count > 0; }
    }

    /// <summary>How long the test waited for its locks in all (zero when it did not wait).</summary>
    public static TimeSpan TotalWait(LockSetHandle locks)
    {
        ArgumentNullException.ThrowIfNull(locks);
        return locks.Handles.Aggregate(TimeSpan.Zero, (sum, handle) => sum + handle.Waited);
    }

    /// <summary>The result line of a test that had to wait, null for one that did not: "[TestLocks] TEST waited 12.3s
    /// for its locks, not counted in its own timeout: "tempest-az" 12.3s (last held by pid 42 ...)".</summary>
    public string? Summary(LockSetHandle locks)
    {
        ArgumentNullException.ThrowIfNull(locks);
        List<string> parts;
        lock (_last)
        {
            if (_last.Count == 0) return null; // most tests: nothing allocated
            parts = [];
            HashSet<string> named = new(StringComparer.Ordinal);
            foreach (var handle in locks.Handles)
            {
                if (!_last.TryGetValue(handle.Name, out var notice)) continue;
                named.Add(handle.Name);
                parts.Add($"\"{handle.Name}\" {handle.Waited.TotalSeconds:0.0}s (last held by {HolderOf(notice)})");
            }
            // A counted lock or a pool is waited for under its own name, and held as one of its slots or members.
            foreach (var (name, notice) in _last)
            {
                if (!named.Contains(name)) parts.Add($"\"{name}\" {notice.Waited.TotalSeconds:0.0}s (last held by {HolderOf(notice)})");
            }
        }
        static string HolderOf(LockWaitNotice notice) => notice.Holder?.ToString()
            ?? (notice.Holders is { Count: > 0 } holders ? string.Join("; ", holders) : "an unknown holder");

        return Printable.Line($"[TestLocks] {Test} waited {TotalWait(locks).TotalSeconds:0.0}s for its locks, not counted in its own timeout: {string.Join(", ", parts)}");
    }
}
