using System.Runtime.CompilerServices;
using TestLocks.Samples.Cloud;

namespace TestLocks.Samples.Aggregates;

internal static class DemoSetup
{
    /// <summary>Both xUnit surfaces run the test assembly's module initializer before the first lock is taken.</summary>
    [ModuleInitializer]
#pragma warning disable CA2255 // a test assembly configuring TestLocks before any test runs
    internal static void LogLockStatisticsForTheDemo() => LockStatistics.EnableFromEnvironment();
#pragma warning restore CA2255
}
