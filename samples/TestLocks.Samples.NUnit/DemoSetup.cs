using NUnit.Framework;
using TestLocks.Samples.Cloud;

/// <summary>Before any fixture of the assembly (and so before any lock): route lock logs to the demo's statistics.</summary>
[SetUpFixture]
#pragma warning disable CA1050 // an assembly-wide NUnit set-up fixture lives outside every namespace
public sealed class DemoSetup
#pragma warning restore CA1050
{
    [OneTimeSetUp]
    public void LogLockStatisticsForTheDemo() => LockStatistics.EnableFromEnvironment();
}
