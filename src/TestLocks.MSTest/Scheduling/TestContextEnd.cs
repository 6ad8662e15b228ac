using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace TestLocks.MSTest.Scheduling;

/// <summary>Whether MSTest (4.4 to 4.5) has disposed a test's TestContext, which it does once the test and its
/// cleanups have ended, whether or not [GlobalTestCleanup] ran: its <c>TestContextImplementation.Dispose</c> sets the
/// private <c>_testTempDirectoryCleanupStarted</c>, checked by <see cref="Problem"/> before any use.</summary>
internal static class TestContextEnd
{
    private const string ImplementationType = "Microsoft.VisualStudio.TestPlatform.MSTestAdapter.PlatformServices.TestContextImplementation";
    private static readonly Lazy<FieldInfo?> s_ended = new(() => AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic)
        .Select(a => a.GetType(ImplementationType)).FirstOrDefault(t => t is not null)
        ?.GetField("_testTempDirectoryCleanupStarted", BindingFlags.Instance | BindingFlags.NonPublic) is { FieldType: var type } field && type == typeof(bool) ? field : null);

    /// <summary>What this MSTest lacks for it; null when it has it.</summary>
    public static string? Problem => s_ended.Value is null
        ? "TestLocks.MSTest cannot tell when MSTest has ended a test: its TestContextImplementation differs from MSTest 4.5's (bool _testTempDirectoryCleanupStarted). "
          + "Waiting tests keep their workers; report the MSTest version to TestLocks."
        : null;

    /// <summary>True once MSTest has disposed <paramref name="context"/>.</summary>
    public static bool Ended(TestContext context) =>
        s_ended.Value is { } field && field.DeclaringType!.IsInstanceOfType(context) && field.GetValue(context) is true;
}
