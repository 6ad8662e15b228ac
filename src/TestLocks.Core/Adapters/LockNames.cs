using System.Collections.Concurrent;
using System.Globalization;
using TestLocks.Testing;

namespace TestLocks.Adapters;

/// <summary>
/// Lock names computed per test case, the same way in every framework package: a name with placeholders such as
/// <c>"db-{0}"</c> is formatted with the case's arguments (<see cref="string.Format(IFormatProvider, string, object[])"/>,
/// invariant culture; <c>{{</c> and <c>}}</c> stand for braces), and an <see cref="ILockNameProvider"/> type computes
/// names from the case. Every problem is a <see cref="TestLocksException"/> that names the test, the attribute and the fix.
/// </summary>
internal static class LockNames
{
    private static readonly ConcurrentDictionary<Type, ILockNameProvider> s_providers = new();

    /// <summary>Whether <paramref name="name"/> is a template that depends on the test case (it has a brace).</summary>
    public static bool IsTemplate(string name) => name.AsSpan().IndexOfAny('{', '}') >= 0;

    /// <summary>The names <paramref name="attribute"/> (e.g. <c>[ExternalLock("db-{0}")]</c>, for messages; when null, the
    /// <c>[ExternalLock]</c> these names and provider make, written only for a message) asks for in
    /// <paramref name="testCase"/>: <paramref name="names"/> with templates formatted, then the names of
    /// <paramref name="provider"/> when it is not null. Names without a template and no provider: <paramref name="names"/> itself.</summary>
    /// <exception cref="TestLocksException">A template does not fit the case's arguments, or the provider cannot be
    /// created, fails, or returns an empty name.</exception>
    public static IReadOnlyList<string> For(IReadOnlyList<string> names, Type? provider, TestCaseInfo testCase, string? attribute = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(testCase);
        var templates = false;
        foreach (var name in names) templates |= IsTemplate(name);
        if (!templates && provider is null) return names; // the common case, per test: nothing to format or ask
        var written = attribute ?? ExternalLockNames.Written(names, provider);
        var result = new List<string>(names.Count);
        foreach (var name in names) result.Add(IsTemplate(name) ? Format(name, testCase, written) : name);
        if (provider is not null) result.AddRange(FromProvider(provider, testCase, written));
        return result;
    }

    private static string Format(string template, TestCaseInfo testCase, string attribute)
    {
        var arguments = testCase.Arguments.ToArray();
        try
        {
            return string.Format(CultureInfo.InvariantCulture, template, arguments);
        }
        catch (FormatException e)
        {
            var have = arguments.Length == 0 ? "has no arguments" : $"has {arguments.Length} argument(s), {{0}} to {{{arguments.Length - 1}}}";
            throw new TestLocksException(
                $"{attribute} on {Describe(testCase)}: the lock name template \"{template}\" does not fit the test case, which {have} ({e.Message}). " +
                "Fix: number the placeholders from {0} in parameter order, write {{ and }} for literal braces, or compute the names with an ILockNameProvider type.", e);
        }
    }

    private static List<string> FromProvider(Type provider, TestCaseInfo testCase, string attribute)
    {
        var instance = s_providers.GetOrAdd(provider, static (type, attribute) => Create(type, attribute), attribute);
        List<string> names;
        try
        {
            names = [.. instance.GetLockNames(testCase) ?? []];
        }
        catch (Exception e) when (e is not TestLocksException)
        {
            throw new TestLocksException($"{attribute} on {Describe(testCase)}: the lock name provider {provider.FullName} failed: {e.Message}", e);
        }
        if (names.Any(string.IsNullOrEmpty))
        {
            throw new TestLocksException(
                $"{attribute} on {Describe(testCase)}: the lock name provider {provider.FullName} returned an empty or null name among [{string.Join(", ", names.Select(n => $"\"{n}\""))}]. " +
                "Fix: return only the names of locks to take (an empty sequence takes none).");
        }
        return names;
    }

    private static ILockNameProvider Create(Type type, string attribute)
    {
        if (!typeof(ILockNameProvider).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new TestLocksException(
                $"{attribute}: {type.FullName} cannot compute lock names. Fix: make it a non-abstract class that implements " +
                $"{typeof(ILockNameProvider).FullName} and has a public parameterless constructor.");
        }
        return (ILockNameProvider)Activator.CreateInstance(type)!;
    }

    private static string Describe(TestCaseInfo testCase) =>
        testCase.DisplayName.StartsWith(testCase.TestClass.FullName + ".", StringComparison.Ordinal) ? testCase.DisplayName : $"{testCase.TestClass.FullName}.{testCase.DisplayName}";
}
