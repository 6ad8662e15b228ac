using System.Reflection;
using TestLocks.TestSupport.Terminal;
using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Frameworks.Tests;

/// <summary>
/// What a person sees in a terminal while an MSTest test waits for a lock, through the real <c>dotnet test</c> on
/// Microsoft.Testing.Platform with no extra flags: <c>dotnet test</c> shows nothing the test application prints while it
/// runs, so the lines go to the controlling terminal.
/// </summary>
public sealed class LiveWaitTests
{
    private const string Test = "Fx.Live.WaitsForTheHarness.Test";

    [Fact]
    public async Task Under_dotnet_test_a_waiting_MSTest_test_is_shown_live_with_its_holder()
    {
        using var scenario = new Scenario();
        var module = typeof(LiveWaitTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MSTest").Value!;
        var directory = Directory.CreateDirectory(Path.Combine(scenario.Directory, "mtp")).FullName;
        File.WriteAllText(Path.Combine(directory, "global.json"), """{ "test": { "runner": "Microsoft.Testing.Platform" } }""");
        var held = scenario.Hold("live-lock");

        using var run = TerminalRun.Start(directory,
            $"dotnet test --root-directory '{Path.GetDirectoryName(module)}' --test-modules '{Path.GetFileName(module)}' --filter 'FullyQualifiedName~Fx.Live.'",
            new Dictionary<string, string>
            {
                ["TESTLOCKS_LOCK_PATH"] = scenario.LockPath,
                ["TESTLOCKS_LOCK_FILE_PREFIX"] = scenario.Prefix,
                ["TESTLOCKS_WARN_AFTER"] = "1",
                [Fx.Journal.Variable] = scenario.Journal.Path,
            });
        var waitLine = $"[TestLocks] {Test}: Waiting for lock \"{scenario.Prefix}live-lock\" ({Path.Combine(scenario.LockPath, scenario.Prefix + "live-lock")}) for ";
        var first = await run.WaitForLineAsync(l => l.StartsWith(waitLine, StringComparison.Ordinal), "the line saying the test waits");
        var later = await run.WaitForLineAsync(l => l.StartsWith(waitLine, StringComparison.Ordinal) && l.Contains("s CPU in the last ", StringComparison.Ordinal),
            "a line a warn_after later with the holder's CPU time");
        var ranMeanwhile = scenario.Journal.Read().Where(e => e.IsPhase).ToList();
        scenario.Release(held);
        var exitCode = await run.Exited.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, $"dotnet test exited with {exitCode}.\n{run.Transcript}");
        Assert.Empty(ranMeanwhile);
        Assert.Contains($"held by pid {Environment.ProcessId} on {Environment.MachineName} (harness) since ", first, StringComparison.Ordinal);
        Assert.Contains("; alive (", later, StringComparison.Ordinal);
    }
}
