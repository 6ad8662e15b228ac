using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace TestLocks.MSTest.Scheduling;

/// <summary>
/// MSTest's number of parallel workers for a test assembly, reached through its adapter (MSTest 4.4 to 4.5): MSTest runs
/// exactly that many worker tasks over a queue local to <c>TestExecutionManager.ExecuteParallelizedTestsAsync</c>, each
/// awaiting one test at a time, so a test waiting for a lock keeps its worker. MSTest takes the count from
/// <c>MSTestSettings.CurrentSettings.ParallelizationWorkers</c> (runsettings, testconfig.json) when set, else from
/// <c>[assembly: Parallelize(Workers = N)]</c> (0: one per processor), and reads it right after it has read the test
/// assembly's attributes (<c>TestAssemblySettingsProvider.GetSettings</c>, which constructs them all, and so
/// <see cref="ParallelSlotsAttribute"/>). Raising it there to P + W lets W tests wait for locks on workers of their own
/// while P others run; <see cref="ParallelSlots"/> keeps P the limit.
/// </summary>
internal static class MSTestWorkers
{
    private const string SettingsType = "Microsoft.VisualStudio.TestPlatform.MSTest.TestAdapter.MSTestSettings";
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Lazy<PropertyInfo?> s_current = new(() => AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic)
        .Select(a => a.GetType(SettingsType)).FirstOrDefault(t => t is not null)?.GetProperty("CurrentSettings", BindingFlags.Static | BindingFlags.Public));

    /// <summary>MSTest's current settings object (replaced at the start of each discovery or run request); null outside MSTest.</summary>
    public static object? CurrentSettings(out string? problem)
    {
        problem = null;
        var current = s_current.Value;
        if (current is null) return Fail("MSTestSettings.CurrentSettings", out problem);
        var type = current.DeclaringType!;
        if (Workers(type) is not { } workers || workers.PropertyType != typeof(int?) || workers.GetSetMethod(nonPublic: true) is null)
            return Fail("MSTestSettings.ParallelizationWorkers (int?)", out problem);
        if (type.GetProperty("DisableParallelization", Instance)?.PropertyType != typeof(bool)) return Fail("MSTestSettings.DisableParallelization (bool)", out problem);
        return current.GetValue(null);
    }

    /// <summary>MSTest's current settings object, once <see cref="CurrentSettings(out string?)"/> found it usable.</summary>
    public static object? Current => s_current.Value?.GetValue(null);

    /// <summary>The workers MSTest will run for <paramref name="assembly"/> under <paramref name="settings"/>; null when it runs its tests one at a time.</summary>
    public static int? Of(object settings, Assembly assembly)
    {
        if ((bool)settings.GetType().GetProperty("DisableParallelization", Instance)!.GetValue(settings)! || assembly.IsDefined(typeof(DoNotParallelizeAttribute))) return null;
        var workers = (int?)Workers(settings.GetType())!.GetValue(settings)
            ?? (assembly.GetCustomAttribute<ParallelizeAttribute>() is { } parallelize ? parallelize.Workers == 0 ? Environment.ProcessorCount : parallelize.Workers : 0);
        return workers > 0 ? workers : null;
    }

    /// <summary>Makes MSTest run <paramref name="workers"/> workers under <paramref name="settings"/> (it reads the count after the assembly's attributes).</summary>
    public static void Set(object settings, int workers) => Workers(settings.GetType())!.SetValue(settings, workers);

    private static PropertyInfo? Workers(Type settingsType) => settingsType.GetProperty("ParallelizationWorkers", Instance);

    private static object? Fail(string missing, out string problem)
    {
        var assembly = typeof(TestMethodAttribute).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString();
        problem = $"TestLocks.MSTest cannot give the parallel worker of a test that waits for a lock back to MSTest {version}: its {missing} differs "
            + "from the MSTest versions TestLocks supports (4.4, 4.5). Waiting tests keep their workers; report the MSTest version to TestLocks.";
        return null;
    }
}
