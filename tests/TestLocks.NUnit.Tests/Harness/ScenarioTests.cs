using System.Text.RegularExpressions;
using TestLocks.TestSupport.Terminal;

namespace TestLocks.NUnit.Tests.Harness;

/// <summary>
/// The base of the tests that drive scenarios: each test gets its own <see cref="Workspace"/>, and every scenario
/// process it starts is stopped afterwards. Each derived fixture runs twice, against the scenarios built with NUnit
/// 4.6.1 and with NUnit 5.0.0.
/// </summary>
[TestFixture("4.6.1")]
[TestFixture("5.0.0")]
public abstract class ScenarioTests(string nunitVersion)
{
    private const string Namespace = "TestLocks.NUnit.Scenarios.";
    private readonly List<ScenarioProcess> _processes = [];

    protected string Scenarios { get; } = ScenarioBuild.PathFor(nunitVersion);

    protected Workspace Workspace { get; private set; } = null!;

    [SetUp]
    public void CreateWorkspace() => Workspace = new Workspace();

    [TearDown]
    public async Task StopScenarios()
    {
        foreach (var process in _processes) await process.DisposeAsync();
        _processes.Clear();
        Workspace.Dispose();
    }

    /// <summary>The full-name pattern of one scenario test, e.g. "Phases.Locked".</summary>
    protected static string Test(string name) => "^" + Regex.Escape(Namespace + name) + "$";

    /// <summary>The full-name pattern of every test of a scenario class or namespace, e.g. "Failures".</summary>
    protected static string Tests(string prefix) => "^" + Regex.Escape(Namespace + prefix + ".");

    protected ScenarioProcess Start(string pattern, string tag, string? gate = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = ScenarioProcess.Start(Scenarios, Workspace, pattern, tag, gate, environment);
        _processes.Add(process);
        return process;
    }

    /// <summary>Runs <c>dotnet test</c> on the scenarios' assembly in a terminal, as a person would, with no extra flags.</summary>
    private protected TerminalRun StartDotnetTestInTerminal(string filter, string tag, IReadOnlyDictionary<string, string>? environment = null) =>
        TerminalRun.Start(Workspace.Root, $"dotnet test '{Scenarios}' --filter '{filter}'",
            ScenarioProcess.EnvironmentFor(Workspace, tag, gate: null, environment));

    /// <summary>The journal lines of the process tagged <paramref name="tag"/>, without the tag.</summary>
    protected IReadOnlyList<string> PhasesOf(string tag) =>
        Workspace.Journal().Where(l => l.StartsWith(tag + " ", StringComparison.Ordinal)).Select(l => l[(tag.Length + 1)..]).ToList();

    /// <summary>Runs a scenario to its end and returns its result lines.</summary>
    protected async Task<ScenarioProcess> RunAsync(string pattern, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = Start(pattern, "A", environment: environment);
        await process.FinishAsync();
        return process;
    }

    /// <summary>
    /// Starts <paramref name="first"/> and stops it at <paramref name="gate"/>, then starts <paramref name="second"/>
    /// and waits until it reports waiting for <paramref name="lockName"/>; runs <paramref name="whileWaiting"/> then, lets
    /// the first go on, and waits for both to end. Returns both processes and the second's wait report.
    /// </summary>
    protected async Task<Contention> SecondWaitsForFirstAsync(string first, string gate, string second, string lockName, Action? whileWaiting = null)
    {
        var holder = Start(first, "A", gate: gate);
        await holder.AtGateAsync(gate);
        var waiter = Start(second, "B");
        var notice = await waiter.WaitingForAsync(lockName);
        whileWaiting?.Invoke();
        holder.Open();
        await Task.WhenAll(holder.FinishAsync(), waiter.FinishAsync());
        return new Contention(holder, waiter, notice);
    }

    /// <summary>Runs <paramref name="pattern"/> until it stops at <paramref name="gate"/>, evaluates
    /// <paramref name="check"/> there, and lets the run finish. Returns the process and what the check saw.</summary>
    protected async Task<(ScenarioProcess Process, T Seen)> AtGateAsync<T>(string pattern, string gate, Func<T> check)
    {
        var process = Start(pattern, "A", gate: gate);
        await process.AtGateAsync(gate);
        var seen = check();
        process.Open();
        await process.FinishAsync();
        return (process, seen);
    }

    /// <summary>The journal of <paramref name="process"/>'s phases.</summary>
    protected IReadOnlyList<string> PhasesOf(ScenarioProcess process) =>
        Workspace.Journal().Where(l => l.StartsWith(process.Tag + " ", StringComparison.Ordinal)).Select(l => l[(process.Tag.Length + 1)..]).ToList();

    /// <summary>What the journal must read when <paramref name="first"/>'s phases all came before <paramref name="second"/>'s.</summary>
    protected static string[] OneAfterTheOther(ScenarioProcess first, ScenarioProcess second, params string[] phases) =>
        [.. phases.Select(p => $"{first.Tag} {p}"), .. phases.Select(p => $"{second.Tag} {p}")];

    /// <summary>Two runs of which the second had to wait for the first, and the second's wait report.</summary>
    protected sealed record Contention(ScenarioProcess First, ScenarioProcess Second, string Notice);

    protected static void AssertPassed(params ScenarioProcess[] processes)
    {
        foreach (var process in processes)
        {
            var results = process.Output.Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).ToList();
            Assert.That(results, Is.Not.Empty.And.All.StartsWith("RESULT Passed "), string.Join(Environment.NewLine, process.Output));
        }
    }
}
