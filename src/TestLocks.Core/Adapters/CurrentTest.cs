using System.Collections.Concurrent;

namespace TestLocks.Adapters;

/// <summary>
/// Which test is running, as a framework package tells it. While a test runs, every lock taken for it belongs to the
/// test, whatever took it: its attributes (even from a hook outside the test's own async flow, such as xUnit v3's
/// assembly fixture, through <see cref="LockSetOptions.TestId"/>), a fixture, an async helper method, or the body. Any
/// flow of that test asking again for one of them fails at once with <see cref="LockReentryException"/> instead of
/// waiting for itself. (The flow-based check alone misses a lock taken inside an awaited async method, since what an
/// async method sets in its flow does not flow back to its caller.) Hence, within one test, concurrent tasks cannot
/// queue for the same TestLocks lock: use an in-process primitive for that.
/// </summary>
internal static class CurrentTest
{
    private static readonly AsyncLocal<string?> s_id = new();
    private static readonly ConcurrentDictionary<string, TestHolds> s_held = new(StringComparer.Ordinal);
    private static Func<string?>[] s_sources = [];

    /// <summary>The running test's id: the one <see cref="Enter"/> set for this flow, else the first a source gives; null outside tests.</summary>
    public static string? Id
    {
        get
        {
            if (s_id.Value is { } id) return id;
            foreach (var source in Volatile.Read(ref s_sources))
            {
                if (source() is { } found) return found;
            }
            return null;
        }
    }

    /// <summary>The id <see cref="Enter"/> set for this flow (not a source's); null when none did.</summary>
    public static string? FlowId => s_id.Value;

    /// <summary>Names <paramref name="testId"/> as the running test for this flow and the tasks it starts, until disposed.
    /// For frameworks whose per-test hook wraps the test in one async flow (xUnit v2's test method runner).</summary>
    public static IDisposable Enter(string testId)
    {
        ArgumentException.ThrowIfNullOrEmpty(testId);
        var previous = s_id.Value;
        s_id.Value = testId;
        return new Scope(previous);
    }

    /// <summary>Adds a way to find the running test's id, for frameworks that keep it themselves
    /// (xUnit v3: <c>() =&gt; TestContext.Current.Test?.UniqueID</c>). Adding the same delegate twice does nothing.</summary>
    public static void AddSource(Func<string?> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        while (true)
        {
            var current = Volatile.Read(ref s_sources);
            if (current.Contains(source)) return;
            if (Interlocked.CompareExchange(ref s_sources, [.. current, source], current) == current) return;
        }
    }

    /// <summary>Records that <paramref name="testId"/> holds <paramref name="lockName"/>, until <see cref="Unregister"/>.</summary>
    internal static void Register(string testId, string lockName)
    {
        while (true)
        {
            var holds = s_held.GetOrAdd(testId, static _ => new TestHolds());
            if (holds.Add(lockName)) return;
            // That test's holds were just emptied and dropped: take a new set.
        }
    }

    /// <summary>Names the test <paramref name="testId"/> <paramref name="owner"/> (see <see cref="Owner"/>) while it holds a lock.</summary>
    internal static void Name(string testId, string owner)
    {
        if (s_held.TryGetValue(testId, out var holds)) holds.Owner ??= owner;
    }

    internal static void Unregister(string testId, string lockName)
    {
        if (s_held.TryGetValue(testId, out var holds) && holds.Remove(lockName)) s_held.TryRemove(new KeyValuePair<string, TestHolds>(testId, holds));
    }

    /// <summary>The running test's owner name (its display name, as its framework package took its locks), for the holder
    /// records of locks it takes by any other API, such as a <see cref="Fixtures.LockFixture"/>; null outside such a test.</summary>
    internal static string? Owner => Id is { } id && s_held.TryGetValue(id, out var holds) ? holds.Owner : null;

    /// <summary>The id of the running test when it holds <paramref name="lockName"/>; else null.</summary>
    internal static string? HoldingTest(string lockName)
    {
        if (s_held.IsEmpty || Id is not { } id || !s_held.TryGetValue(id, out var holds)) return null;
        return holds.Contains(lockName) ? id : null;
    }

    /// <summary>The lock names one test holds, with counts (a read lock can be held twice by one test).</summary>
    private sealed class TestHolds
    {
        private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
        private bool _dropped;

        /// <summary>The test's name as its framework package gave it with its locks; null when none did.</summary>
        public string? Owner { get; set; }

        public bool Add(string name)
        {
            lock (_names)
            {
                if (_dropped) return false;
                _names[name] = _names.GetValueOrDefault(name) + 1;
                return true;
            }
        }

        /// <summary>Removes one hold; returns true when the set became empty and is dropped.</summary>
        public bool Remove(string name)
        {
            lock (_names)
            {
                if (!_names.TryGetValue(name, out var n)) return false;
                if (n > 1) { _names[name] = n - 1; return false; }
                _names.Remove(name);
                return _dropped = _names.Count == 0;
            }
        }

        public bool Contains(string name)
        {
            lock (_names) return _names.ContainsKey(name);
        }
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) s_id.Value = previous;
        }
    }
}
