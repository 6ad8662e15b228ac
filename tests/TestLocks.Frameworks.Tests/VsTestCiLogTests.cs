using System.Diagnostics;
using System.Reflection;
using TestLocks.Tests.Terminal;
using TestLocks.Xunit.Tests.CrossProcess;

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
        // setsid: a session of its own, so no controlling terminal, as on a CI agent; stdout and stderr are pipes.
        var start = new ProcessStartInfo("setsid") { WorkingDirectory = scenario.Directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "--wait", "bash", "-c", $"dotnet test '{project}' -c {Configuration} --no-build --no-restore -p:IsTestProject=true --filter 'FullyQualifiedName~Fx.Live.'" })
        {
            start.ArgumentList.Add(a);
        }
        foreach (var name in start.Environment.Keys.Where(TerminalRun.IsInherited).ToList()) start.Environment.Remove(name);
        start.Environment["TESTLOCKS_LOCK_PATH"] = scenario.LockPath;
        start.Environment["TESTLOCKS_LOCK_FILE_PREFIX"] = scenario.Prefix;
        start.Environment[Fx.Journal.Variable] = scenario.Journal.Path;
        start.Environment["CI"] = "true";
        var log = new List<string>();
        var waitLine = $"[TestLocks] {Test}: Waiting for lock \"{scenario.Prefix}live-lock\" (";
        var shown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (log) log.Add(line);
            if (line.StartsWith(waitLine, StringComparison.Ordinal)) shown.TrySetResult(line);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.Add(line); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            string first;
            try
            {
                first = await shown.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }
            catch (TimeoutException)
            {
                lock (log) Assert.Fail($"The wait line was not in the job's log within two minutes while the lock was held:\n{string.Join('\n', log)}");
                throw;
            }
            Assert.Contains($"held by pid {Environment.ProcessId} on {Environment.MachineName} (harness) since ", first, StringComparison.Ordinal);
            Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase);
            scenario.Release(held);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        lock (log) Assert.True(process.ExitCode == 0, $"dotnet test exited with {process.ExitCode}:\n{string.Join('\n', log)}");
        lock (log) Assert.Contains(log, l => l.StartsWith("Test run for ", StringComparison.Ordinal)); // VSTest's console logger ran it
    }
}
