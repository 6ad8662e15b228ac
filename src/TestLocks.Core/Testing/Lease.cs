using System.Collections.Concurrent;
using System.Collections.Immutable;
using TestLocks.Adapters;

namespace TestLocks.Testing;

/// <summary>
/// The pool members the running test leases (<c>[Lease("database")]</c>): <c>Lease.Current("database")</c> is "db2"
/// while the test holds db2, from before its setup to after its last cleanup.
/// </summary>
public static class Lease
{
    private static readonly ConcurrentDictionary<string, ImmutableDictionary<string, string>> s_leases = new(StringComparer.Ordinal);

    /// <summary>The member of <paramref name="pool"/> that the running test holds.</summary>
    /// <exception cref="TestLocksException">No test runs in this flow, or it holds no member of that pool; the message says what to add.</exception>
    public static string Current(string pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (TryCurrent(pool) is { } member) return member;
        throw new TestLocksException(CurrentTest.Id is null
            ? $"Lease.Current(\"{pool}\") was called outside a running TestLocks test. Call it from a test marked [Lease(\"{pool}\")], " +
              "or lease a member yourself with LockFactory.CreatePool(...).AcquireAsync() and read its Member."
            : $"The running test holds no member of pool \"{pool}\". Mark it (or its class) [Lease(\"{pool}\")].");
    }

    /// <summary>The member of <paramref name="pool"/> that the running test holds; null when it holds none.</summary>
    public static string? TryCurrent(string pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return CurrentTest.Id is { } id && s_leases.TryGetValue(id, out var leases) && leases.TryGetValue(pool, out var member) ? member : null;
    }

    internal static void Register(string testId, IReadOnlyDictionary<string, string> leases)
    {
        if (leases.Count == 0) return;
        s_leases.AddOrUpdate(testId, _ => leases.ToImmutableDictionary(StringComparer.Ordinal), (_, old) => old.SetItems(leases));
    }

    internal static void Unregister(string testId, IReadOnlyDictionary<string, string> leases)
    {
        if (leases.Count == 0) return;
        while (s_leases.TryGetValue(testId, out var old))
        {
            var left = old.RemoveRange(leases.Keys);
            if (left.IsEmpty ? s_leases.TryRemove(new KeyValuePair<string, ImmutableDictionary<string, string>>(testId, old)) : s_leases.TryUpdate(testId, left, old)) return;
        }
    }
}
