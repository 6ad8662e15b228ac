using TestLocks.Testing;

namespace TestLocks.Adapters;

/// <summary>What every framework package's <c>[ExternalLock]</c> attribute does with its arguments, written once: the
/// check of its names and the lock requests it makes for a test case. For framework packages, not for tests.</summary>
public static class ExternalLockNames
{
    /// <summary><paramref name="names"/>, checked: at least one, none empty.</summary>
    /// <exception cref="ArgumentException">No name, or an empty one; the message shows the attribute to write.</exception>
    public static string[] Required(string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Length == 0 || names.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("[ExternalLock] needs at least one non-empty lock name, for example [ExternalLock(\"availability_zone\")].", nameof(names));
        }
        return names;
    }

    /// <summary>The requests of an <c>[ExternalLock]</c> with these arguments in <paramref name="testCase"/>
    /// (<see cref="LockNames.For"/>, whose messages name the attribute as written).</summary>
    internal static List<LockRequest> Requests(IReadOnlyList<string> names, Type? provider, string? prefix, LockMode mode, TestCaseInfo testCase, int? slots = null)
    {
        // Per test: a plain list, and the attribute as written only for a message (LockNames builds it when one fails).
        var resolved = LockNames.For(names, provider, testCase);
        var requests = new List<LockRequest>(resolved.Count);
        foreach (var name in resolved) requests.Add(new LockRequest(name, prefix, mode) { Slots = slots });
        return requests;
    }

    /// <summary>The requests of an <c>[ExternalLock(..., Slots = N)]</c>: with <paramref name="slots"/> above 0, each name is a
    /// counted lock of that many slots.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slots"/> is negative or above <see cref="CountedLock.MaxSlots"/>.</exception>
    public static IEnumerable<LockRequest> Requests(IReadOnlyList<string> names, Type? provider, string? prefix, LockMode mode, int slots, TestCaseInfo testCase)
    {
        if (slots is < 0 or > CountedLock.MaxSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots,
                $"{Written(names, provider)} has Slots = {slots}; a counted lock has 1 to {CountedLock.MaxSlots} slots (0, the default, means a plain lock).");
        }
        return Requests(names, provider, prefix, mode, testCase, slots == 0 ? null : slots);
    }

    /// <summary>The attribute as written, for messages: <c>[ExternalLock("a", "b")]</c> or <c>[ExternalLock(typeof(P))]</c>.</summary>
    internal static string Written(IReadOnlyList<string> names, Type? provider) =>
        provider is null ? $"[ExternalLock({string.Join(", ", names.Select(n => $"\"{n}\""))})]" : $"[ExternalLock(typeof({provider.Name}))]";
}
