using System.Diagnostics;
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

    [Fact]
    public async Task In_a_CI_job_log_a_waiting_MSTest_test_on_VSTest_is_shown_live_with_its_holder()
    {
        using var scenario = new Scenario();
                var held = scenario.Hold("live-lock");
        var environment = new Dictionary<string, string>
        {
            ["TESTLOCKS_LOCK_PATH"] = scenario.LockPath,
            ["TESTLOCKS_LOCK_FILE_PREFIX"] = scenario.Prefix,
            [Fx.Journal.Variable] = scenario.Journal.Path,
        };
        using var job = CiJobRun.Start(scenario.Directory,
            VsTestProject.DotnetTest("--filter 'FullyQualifiedName~Fx.Live.'"),
            environment, $"[TestLocks] {Test}: Waiting for lock \"{scenario.Prefix}live-lock\" (");
        var first = await job.WaitForWatchedLineAsync();
        Assert.Contains($"held by pid {Environment.ProcessId} on {Environment.MachineName} (harness) since ", first, StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase);
        scenario.Release(held);
        await job.AssertPassedAsync();
        Assert.Contains(job.Log, l => l.StartsWith("Test run for ", StringComparison.Ordinal)); // VSTest's console logger ran it
    }
}

/// <summary>
/// The pool member as a parameter in an MSTest project on VSTest (<c>dotnet test</c>, as <c>dotnet new mstest</c> makes
/// it), where MSTest cannot serialize a <c>LeasedMember</c> row and runs the data source when the test runs: the
/// contract suite's LeasedParam tests, run on Microsoft.Testing.Platform there, pass here too.
/// </summary>
public sealed class VsTestLeasedMemberTests
{
    [Fact]
    public async Task An_MSTest_test_on_VSTest_gets_its_pool_member_as_a_parameter()
    {
        using var scenario = new Scenario();
                var config = Path.Combine(scenario.Directory, "testlocks.conf");
        await File.WriteAllTextAsync(config, "[testlocks.pools]\npool = m1, m2\n", TestContext.Current.CancellationToken);
        var go = Path.Combine(scenario.Directory, "go");
        await File.WriteAllTextAsync(go, "", TestContext.Current.CancellationToken); // one process: nothing to wait for
        var environment = new Dictionary<string, string>
        {
            ["TESTLOCKS_CONFIG"] = config,
            ["TESTLOCKS_LOCK_PATH"] = scenario.LockPath,
            ["TESTLOCKS_LOCK_FILE_PREFIX"] = scenario.Prefix,
            ["SCENARIO_GO_ON"] = go,
            [Fx.Journal.Variable] = scenario.Journal.Path,
        };
        using var job = CiJobRun.Start(scenario.Directory,
            VsTestProject.DotnetTest("--filter 'FullyQualifiedName~Fx.LeasedParam.' --logger 'console;verbosity=normal'"),
            environment, "unused");
        await job.AssertPassedAsync();
        Assert.True(job.Log.Any(l => l.Trim() == "Passed: 2"), string.Join("\n", job.Log)); // both LeasedParam tests
        var held = scenario.Journal.Read().Where(e => e.What == "enter").Select(e => e.Detail).ToList();
        // MSTest on VSTest may start both tests at once (the run journal showed both leasing together, one of them m2),
        // so the test that journals holds either member; that it is the one it holds, HoldAsync checks in the test.
        Assert.Contains(Assert.Single(held), new[] { "pool=m1", "pool=m2" });
    }
}
