namespace TestLocks.Testing;

/// <summary>What every framework package's <c>[ExternalLock]</c> attribute does with its arguments, written once: the
/// check of its names and the lock requests it makes for a test case.</summary>
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
    public static IEnumerable<LockRequest> Requests(IReadOnlyList<string> names, Type? provider, string? prefix, LockMode mode, TestCaseInfo testCase) =>
        LockNames.For(names, provider, testCase, Written(names, provider)).Select(name => new LockRequest(name, prefix, mode));

    private static string Written(IReadOnlyList<string> names, Type? provider) =>
        provider is null ? $"[ExternalLock({string.Join(", ", names.Select(n => $"\"{n}\""))})]" : $"[ExternalLock(typeof({provider.Name}))]";
}
