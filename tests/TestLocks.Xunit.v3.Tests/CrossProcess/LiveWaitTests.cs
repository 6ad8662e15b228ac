using System.Diagnostics;
using System.Reflection;
using System.Xml.Linq;
using TestLocks.TestSupport.Terminal;

using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Xunit.Tests.CrossProcess;

/// <summary>
/// What a person sees in a terminal while a test waits for a lock, through the real <c>dotnet test</c> with no extra
/// flags: xUnit v3 on Microsoft.Testing.Platform (lines on the controlling terminal) and xUnit v2 on VSTest, run on its
/// project (lines on standard output, which VSTest forwards live through MSBuild's terminal logger). The harness holds the lock until the live lines have shown who holds
/// it and, a warn_after later, the holder's CPU time; the test's own 500 ms timeout must not count the wait.
/// </summary>
public sealed class LiveWaitTests
{
    private const string Test = "Fx.Live.WaitsLongerThanItsTimeout.Fact";

    [Fact]
    public async Task On_the_testing_platform_a_waiting_test_is_shown_live_with_its_holder_and_its_timeout_counts_only_the_test()
    {
        using var scenario = new Scenario();
        var directory = Directory.CreateDirectory(Path.Combine(scenario.Directory, "mtp")).FullName;

        var results = await RunWhileHeldAsync(scenario, directory, MtpCommand(directory));

        var attachment = Directory.GetFiles(Path.Combine(directory, "TestResults"), "TestLocks.wait.txt", SearchOption.AllDirectories);
        Assert.Contains($"{Test} waited ", File.ReadAllText(Assert.Single(attachment)), StringComparison.Ordinal);
        Assert.Contains(results.Screen, l => l.Contains("TestLocks.wait.txt", StringComparison.Ordinal)); // listed as the test's artifact
    }

    /// <summary>In a person's terminal MSBuild's terminal logger shows the test host's output live; with a CI variable
    /// set (CI=true, as CI services set it) MSBuild uses its console logger even in a terminal, which shows none of it,
    /// so the lines must reach the terminal another way.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task On_VSTest_an_xUnit_v2_test_that_waits_is_shown_live_with_its_holder_and_its_timeout_counts_only_the_test(bool ci)
    {
        using var scenario = new Scenario();
        var trx = Path.Combine(scenario.Directory, "v2.trx");

        var results = await RunWhileHeldAsync(scenario, scenario.Directory, $"{V2Command()} --logger 'trx;LogFileName={trx}'",
            ci ? new Dictionary<string, string> { ["CI"] = "true" } : []);

        // The route the case is about: VSTest's console logger prints its "Test run for" header, the terminal logger does not.
        Assert.Equal(ci, results.Screen.Any(l => l.StartsWith("Test run for ", StringComparison.Ordinal)));
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var output = string.Concat(XDocument.Load(trx).Descendants(ns + "StdOut").Select(e => e.Value));
        Assert.Contains($"[TestLocks] {Test} waited ", output, StringComparison.Ordinal);
        Assert.Contains($"[TestLocks] {Test}: Waiting for lock \"{scenario.Prefix}live-lock\"", output, StringComparison.Ordinal);
    }

    /// <summary>In a CI job <c>dotnet test</c> writes to a pipe that the CI service reads into the job's log, with no
    /// terminal anywhere: the lines must still appear in the log while the test waits, whether VSTest (a project, through
    /// MSBuild's console logger) or the MTP-mode CLI runs the test process, and whether <c>dotnet test</c> is PID 1, as
    /// in a container (a PID namespace of its own; the harness holding the lock is then outside what it can see), and
    /// whether dotnet has its own options before the verb (<c>dotnet -d test</c>, <c>dotnet --diagnostics test</c>). An
    /// xUnit v3 test application run as its own runner (<c>dotnet MyTests.dll</c>, <c>dotnet run</c>, <c>./MyTests | tee</c>)
    /// writes the lines to its own output, which is the job's log there.</summary>
    [Theory]
    [InlineData("vstest")]
    [InlineData("mtp")]
    [InlineData("vstest-as-pid-1")]
    [InlineData("vstest-dotnet-d")]
    [InlineData("mtp-dotnet-diagnostics")]
    [InlineData("xunit-v3-in-process")]
    public async Task In_a_CI_job_log_a_waiting_test_is_shown_live_with_its_holder(string runner)
    {
        using var scenario = new Scenario();
        var directory = Directory.CreateDirectory(Path.Combine(scenario.Directory, runner)).FullName;
        var command = runner switch
        {
            "mtp" => MtpCommand(directory),
            "vstest-as-pid-1" => "exec unshare --pid --fork --mount-proc " + V2Command(),
            "vstest-dotnet-d" => "dotnet -d " + V2Command()["dotnet ".Length..],
            "mtp-dotnet-diagnostics" => "dotnet --diagnostics " + MtpCommand(directory)["dotnet ".Length..],
            "xunit-v3-in-process" => $"dotnet '{Fixture("FixtureV3")}' -namespace Fx.Live -noLogo -noColor",
            _ => V2Command(),
        };

        var held = scenario.Hold("live-lock");
        var waitLine = $"[TestLocks] {Test}: Waiting for lock \"{scenario.Prefix}live-lock\" (";
        using var job = CiJobRun.Start(directory, command, RunEnvironment(scenario), waitLine);
        var first = await job.WaitForWatchedLineAsync();
        if (runner != "vstest-as-pid-1") Assert.Contains($"held by pid {Environment.ProcessId} on {Environment.MachineName} (harness) since ", first, StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.Journal.Read(), e => e.IsPhase);
        scenario.Release(held);
        await job.AssertPassedAsync();
        var lines = job.Log.Where(l => l.StartsWith(waitLine, StringComparison.Ordinal)).ToList();
        Assert.Equal(lines.Distinct().Count(), lines.Count); // each line once: not written twice to the log
    }

    private sealed record Results(IReadOnlyList<string> Screen);

    /// <summary>The xUnit v3 fixture through <c>dotnet test</c> in MTP mode, from <paramref name="directory"/> (which gets
    /// the global.json that selects it).</summary>
    private static string MtpCommand(string directory)
    {
        var module = Fixture("FixtureV3Mtp");
        File.WriteAllText(Path.Combine(directory, "global.json"), """{ "test": { "runner": "Microsoft.Testing.Platform" } }""");
        return $"dotnet test --root-directory '{Path.GetDirectoryName(module)}' --test-modules '{Path.GetFileName(module)}' --filter-namespace Fx.Live";
    }

    /// <summary>The xUnit v2 fixture project through <c>dotnet test</c> on VSTest, as a user runs a project
    /// (IsTestProject=true because the fixture suites are kept out of the solution's run).</summary>
    internal static string V2Command(string @namespace = "Fx.Live")
    {
        var project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Fixture("FixtureV2"))!, "../../..", "TestLocks.Xunit.Fixture.csproj"));
        return $"dotnet test '{project}' -c {Configuration} --no-build --no-restore -p:IsTestProject=true --filter 'FullyQualifiedName~{@namespace}.'";
    }

    /// <summary>What every run here gets: the scenario's lock_path, prefix and journal, and a 1 s warn_after.</summary>
    private static Dictionary<string, string> RunEnvironment(Scenario scenario) => new()
    {
        ["TESTLOCKS_LOCK_PATH"] = scenario.LockPath,
        ["TESTLOCKS_LOCK_FILE_PREFIX"] = scenario.Prefix,
        ["TESTLOCKS_WARN_AFTER"] = "1",
        [Fx.Journal.Variable] = scenario.Journal.Path,
    };

    /// <summary>Holds "live-lock", runs <paramref name="command"/> in a terminal, waits for the live lines (the holder named
    /// at once, its CPU time a warn_after later), checks nothing of the test ran meanwhile, releases, and checks the
    /// run passed and the terminal still shows the lines.</summary>
    private static async Task<Results> RunWhileHeldAsync(Scenario scenario, string directory, string command, IReadOnlyDictionary<string, string>? extra = null)
    {
        var held = scenario.Hold("live-lock");
        var environment = RunEnvironment(scenario);
        foreach (var (name, value) in extra ?? new Dictionary<string, string>()) environment[name] = value;
        using var run = TerminalRun.Start(directory, command, environment);
        var waitLine = $"[TestLocks] {Test}: Waiting for lock \"{scenario.Prefix}live-lock\" ({Path.Combine(scenario.LockPath, scenario.Prefix + "live-lock")}) for ";
        var first = await run.WaitForLineAsync(l => l.StartsWith(waitLine, StringComparison.Ordinal), "the line saying the test waits");
        var later = await run.WaitForLineAsync(l => l.StartsWith(waitLine, StringComparison.Ordinal) && l.Contains("s CPU in the last ", StringComparison.Ordinal),
            "a line a warn_after later with the holder's CPU time");
        var ranMeanwhile = scenario.Journal.Read().Where(e => e.IsPhase).ToList();
        var released = scenario.Release(held);
        var exitCode = await run.Exited.WaitAsync(TimeSpan.FromMinutes(2));
        var screen = run.Screen();

        Assert.True(exitCode == 0, $"dotnet test exited with {exitCode}: the test failed although only its wait outlasted its timeout.\n{run.Transcript}");
        Assert.Empty(ranMeanwhile);
        Assert.All(Instance.From(scenario.Journal.Read()), i => Assert.True(i.First > released, $"{i.Who} ran while the harness held the lock"));
        Assert.Contains($"held by pid {Environment.ProcessId} on {Environment.MachineName} (harness) since ", first, StringComparison.Ordinal);
        Assert.Contains("; alive (", later, StringComparison.Ordinal);
        Assert.Contains(screen, l => l.StartsWith(waitLine, StringComparison.Ordinal) && l.Contains("s CPU in the last ", StringComparison.Ordinal)); // not overdrawn
        Assert.Contains(screen, l => l.StartsWith($"[TestLocks] {Test} waited ", StringComparison.Ordinal) && l.Contains("not counted in its own timeout", StringComparison.Ordinal));
        return new Results(screen);
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    internal static string Fixture(string key) =>
        typeof(LiveWaitTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
