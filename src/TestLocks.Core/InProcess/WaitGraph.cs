namespace TestLocks.InProcess;

/// <summary>
/// Which owners (tests) of this process wait for which locks now, so that a wait notice can tell a deadlock inside the
/// process from a slow holder: the holder of the lock this waiter wants waits for a lock held by ... by this waiter.
/// Only waits are recorded (an uncontended acquire never comes here).
/// </summary>
internal static class WaitGraph
{
    private static readonly Dictionary<string, List<string>> s_waits = new(StringComparer.Ordinal);

    /// <summary><paramref name="owner"/> starts to wait for <paramref name="lockName"/>; dispose the result when that wait ends.</summary>
    public static IDisposable Waiting(string owner, string lockName)
    {
        lock (s_waits)
        {
            if (!s_waits.TryGetValue(owner, out var names)) s_waits[owner] = names = [];
            names.Add(lockName);
        }
        return new Wait(owner, lockName);
    }

    /// <summary>
    /// The cycle that <paramref name="owner"/>'s wait for <paramref name="lockName"/> closes, as "A waits for "x", held by
    /// B" links that lead back to <paramref name="owner"/>; null when the chain of holders in this process ends in a test
    /// that does not wait (or in another process).
    /// </summary>
    public static IReadOnlyList<string>? Cycle(string owner, string lockName)
    {
        var links = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var (waiter, wanted) = (owner, lockName);
        while (true)
        {
            var holder = LockRegistry.HolderOf(wanted);
            if (holder is null) return null;
            links.Add($"{waiter} waits for \"{wanted}\", held by {holder}");
            if (string.Equals(holder, owner, StringComparison.Ordinal)) return links.Count > 1 ? links : null;
            if (!visited.Add(holder)) return null; // a cycle that does not include this waiter: its own waiters report it
            string? next;
            lock (s_waits) next = s_waits.TryGetValue(holder, out var names) && names.Count > 0 ? names[0] : null;
            if (next is null) return null;
            (waiter, wanted) = (holder, next);
        }
    }

    private sealed class Wait(string owner, string lockName) : IDisposable
    {
        private bool _ended;

        public void Dispose()
        {
            lock (s_waits)
            {
                if (_ended) return;
                _ended = true;
                if (!s_waits.TryGetValue(owner, out var names)) return;
                names.Remove(lockName);
                if (names.Count == 0) s_waits.Remove(owner);
            }
        }
    }
}
