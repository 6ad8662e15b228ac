using System.Diagnostics;
using System.Reflection;
using TestLocks.TestSupport.Terminal;
using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Frameworks.Tests;

/// <summary>
/// An MSTest project as <c>dotnet new mstest</c> makes it, on VSTest, run by <c>dotnet test</c> in a CI job: output a
/// pipe the CI service reads into the job's log, no terminal, CI=true. MSBuild's console logger shows nothing the test
/// host prints while a test runs, so a waiting test must still show in the log (issue 20, item 9: it showed nothing,
/// as TestLocks.MSTest wrote the live line only under Microsoft.Testing.Platform).
/// </summary>
public sealed class VsTestCiLogTests
{
    private const string Test = "Fx.Live.WaitsForTheHarness.Test";

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task In_a_CI_job_log_a_waiting_MSTest_test_on_VSTest_is_shown_live_with_its_holder()
    {
        using var scenario = new Scenario();
        var project = typeof(VsTestCiLogTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MSTestVSTestProject").Value!;
        var held = scenario.Hold("live-lock");
        var environment = new Dictionary<string, string>
        {
            ["TESTLOCKS_LOCK_PATH"] = scenario.LockPath,
            ["TESTLOCKS_LOCK_FILE_PREFIX"] = scenario.Prefix,
            [Fx.Journal.Variable] = scenario.Journal.Path,
        };
        using var job = CiJobRun.Start(scenario.Directory,
            $"dotnet test '{project}' -c {Configuration} --no-build --no-restore -p:IsTestProject=true --filter 'FullyQualifiedName~Fx.Live.'",
            environment, $"[TestLocks] {Test}: Waiting for lock \"{scenario.Prefix}live-lock\" (");
        var first = await job.WaitForWatchedLineAsync();
        Assert.Contains($"held by pid {Environment.ProcessId} on {Environment.MachineName} (harness) since ", first, StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase);
        scenario.Release(held);
        await job.AssertPassedAsync();
        Assert.Contains(job.Log, l => l.StartsWith("Test run for ", StringComparison.Ordinal)); // VSTest's console logger ran it
    }
}
