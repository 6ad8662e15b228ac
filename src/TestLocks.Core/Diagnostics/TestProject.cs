using System.Reflection;

namespace TestLocks.Diagnostics;

/// <summary>
/// The test project this process runs, for the run journal and reports: a test host (<c>testhost.dll</c>, an MTP or
/// xUnit v3 executable) is known to a person by its test assembly, not by its command line. Found among the loaded
/// assemblies as the one that references a TestLocks package (the entry assembly first, when it does); else the entry
/// assembly's name.
/// </summary>
internal static class TestProject
{
    private static readonly HashSet<string> s_ours = new(StringComparer.Ordinal)
    {
        "TestLocks.Core", "TestLocks.Xunit", "TestLocks.Xunit.v3", "TestLocks.NUnit", "TestLocks.MSTest", "TestLocks.TUnit",
        "TestLocks.Postgres", "TestLocks.Redis", "TestLocks.Processes",
    };

    /// <summary>The test assembly's name (e.g. <c>Cloud.Tests</c>), or null when none can be told.</summary>
    public static string? Name()
    {
        try
        {
            var entry = Assembly.GetEntryAssembly();
            if (entry is not null && UsesTestLocks(entry)) return entry.GetName().Name;
            return AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && UsesTestLocks(a))
                       .Select(a => a.GetName().Name).FirstOrDefault()
                   ?? entry?.GetName().Name;
        }
#pragma warning disable CA1031 // diagnostics only: a name that cannot be told is no name
        catch (Exception)
        {
            return null;
        }
#pragma warning restore CA1031
    }

    private static bool UsesTestLocks(Assembly assembly) =>
        assembly.GetName().Name is { } name && !s_ours.Contains(name)
        && assembly.GetReferencedAssemblies().Any(r => r.Name is { } referenced && s_ours.Contains(referenced));
}
