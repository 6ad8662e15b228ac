using System.Collections.Concurrent;

namespace TestLocks.Testing;

/// <summary>
/// Which test is running, as a framework package tells it. Locks a package takes for a test in a hook that runs outside
/// the test's own async flow (xUnit v3's assembly fixture, an async test runner) are invisible to the flow-based
/// re-entry check; registered here (see <see cref="LockSetOptions.TestId"/>), they still are: a test that asks again
/// for a lock its attributes hold fails at once with <see cref="LockReentryException"/> instead of waiting for itself.
/// </summary>
public static class CurrentTest
{
    private static readonly AsyncLocal<string?> s_id = new();
    private static readonly ConcurrentDictionary<string, LockSetHandle> s_held = new(StringComparer.Ordinal);
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

    internal static void Register(string testId, LockSetHandle handle) => s_held[testId] = handle;

    internal static void Unregister(string testId, LockSetHandle handle) => s_held.TryRemove(new KeyValuePair<string, LockSetHandle>(testId, handle));

    /// <summary>The id of the running test when it holds <paramref name="lockName"/> through a registered lock set; else null.</summary>
    internal static string? HoldingTest(string lockName)
    {
        if (s_held.IsEmpty || Id is not { } id || !s_held.TryGetValue(id, out var handle)) return null;
        foreach (var h in handle.Handles)
        {
            if (string.Equals(h.Name, lockName, StringComparison.Ordinal)) return id;
        }
        return null;
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
