using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace TestLocks.MSTest.Execution;

/// <summary>
/// Whether the test assemblies of this process have TestLocks' hook class (a type named <c>TestLocksGlobalHooks</c> with
/// a [GlobalTestInitialize] method, which the package adds). A marked test in an assembly without it fails with the
/// class to add, instead of running without its locks.
/// </summary>
internal static class Registration
{
    private const string HookTypeName = "TestLocksGlobalHooks";

    private static readonly ConcurrentDictionary<Assembly, bool> s_hooked = new();
    private static int s_checkedAssemblies;

    public const string HookClass =
        "[TestClass] public static class TestLocksGlobalHooks { " +
        "[GlobalTestInitialize] public static Task TakeLocks(TestContext testContext) => TestLocks.MSTest.TestLocksHooks.TakeLocksAsync(testContext); " +
        "[GlobalTestCleanup] public static Task ReleaseLocks(TestContext testContext) => TestLocks.MSTest.TestLocksHooks.ReleaseLocksAsync(testContext); }";

    /// <summary>True when every loaded assembly that uses TestLocks.MSTest has the hook; else throws with the fix.</summary>
    /// <exception cref="TestLocksException">An assembly that uses TestLocks' attributes lacks the hook class.</exception>
    public static bool EnsureRegistered(string attribute)
    {
        var assemblies = AppDomain.CurrentDomain.GetAssemblies();
        if (assemblies.Length == Volatile.Read(ref s_checkedAssemblies)) return true; // nothing loaded since every one passed
        var ours = typeof(Registration).Assembly.GetName().Name;
        foreach (var assembly in assemblies)
        {
            if (assembly.IsDynamic || s_hooked.GetOrAdd(assembly, a => !Uses(a, ours) || HasHook(a))) continue;
            throw new TestLocksException(
                $"This test is marked {attribute}, but its test assembly {assembly.GetName().Name} lacks TestLocks' MSTest hook, so the test " +
                $"would run without its locks. Add this class to the test project: {HookClass} " +
                "(the TestLocks.MSTest package adds it itself to C# projects unless the MSBuild property TestLocksRegisterMSTest is false).");
        }
        Volatile.Write(ref s_checkedAssemblies, assemblies.Length);
        return true;
    }

    private static bool Uses(Assembly assembly, string? ours) =>
        assembly.GetReferencedAssemblies().Any(r => string.Equals(r.Name, ours, StringComparison.Ordinal));

    private static bool HasHook(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = [.. e.Types.OfType<Type>()];
        }
        return types.Any(t => t.Name == HookTypeName
            && t.GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.IsDefined(typeof(GlobalTestInitializeAttribute))));
    }
}
