using System.Collections.Concurrent;
using System.Reflection;

namespace TestLocks.Backends;

/// <summary>
/// Finds the <see cref="ILockBackendProvider"/> for a <c>backend_url</c> scheme from the
/// <see cref="LockBackendProviderAttribute"/>s that backend assemblies declare. TestLocks' own backend packages are
/// loaded by name when their scheme is asked for (a referenced package's assembly is not loaded until something uses
/// it); their names are also what an error tells the user to add.
/// </summary>
internal static class BackendRegistry
{
    /// <summary>The schemes of TestLocks' own backend packages, and the package (= assembly) that serves each.</summary>
    private static readonly Dictionary<string, string> s_packages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["postgresql"] = "TestLocks.Postgres",
        ["postgres"] = "TestLocks.Postgres",
        ["redis"] = "TestLocks.Redis",
    };

    private static readonly ConcurrentDictionary<string, Type> s_found = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The package that serves <paramref name="scheme"/>, when it is one of TestLocks' own; else null.</summary>
    public static string? PackageFor(string scheme) => s_packages.GetValueOrDefault(scheme);

    /// <summary>The provider type declared for <paramref name="scheme"/>, or null when no loaded (or loadable
    /// TestLocks) assembly declares one.</summary>
    public static Type? Find(string scheme)
    {
        if (s_found.TryGetValue(scheme, out var known)) return known;
        var type = FindIn(AppDomain.CurrentDomain.GetAssemblies(), scheme);
        if (type is null && PackageFor(scheme) is { } package && TryLoad(package) is { } assembly)
        {
            type = FindIn([assembly], scheme);
        }
        if (type is not null) s_found[scheme] = type;
        return type;
    }

    private static Type? FindIn(IEnumerable<Assembly> assemblies, string scheme)
    {
        foreach (var assembly in assemblies)
        {
            if (assembly.IsDynamic) continue;
            LockBackendProviderAttribute[] declarations;
            try
            {
                declarations = [.. assembly.GetCustomAttributes<LockBackendProviderAttribute>()];
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException or BadImageFormatException)
            {
                continue; // an assembly whose own attributes cannot load declares no backend we could use
            }
            foreach (var declared in declarations)
            {
                if (string.Equals(declared.Scheme, scheme, StringComparison.OrdinalIgnoreCase)) return declared.ProviderType;
            }
        }
        return null;
    }

    private static Assembly? TryLoad(string name)
    {
        try
        {
            return Assembly.Load(new AssemblyName(name));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
