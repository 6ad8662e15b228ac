using System.Diagnostics;
using System.Reflection;
using TestLocks.Xunit.Tests.CrossProcess;

namespace TestLocks.Frameworks.Tests.Harness;

/// <summary>
/// A built fixture suite (tests/Fixtures) and how its framework's own runner starts it as a test process: MSTest and
/// TUnit suites are Microsoft.Testing.Platform executables that write TRX with <c>--report-trx</c>; an xUnit v3 suite is
/// an executable with its own TRX option; an xUnit v2 suite runs through <c>dotnet test</c> (VSTest).
/// </summary>
internal sealed class Suite
{
    private readonly string _dll;
    private readonly Func<string, string, string, string[]> _arguments;

    private Suite(string metadataKey, Func<string, string, string, string[]> arguments)
    {
        _dll = Path.GetFullPath(typeof(Suite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == metadataKey).Value!);
        _arguments = arguments;
    }

    /// <summary>The MSTest suite, on Microsoft.Testing.Platform.</summary>
    public static Suite MSTest { get; } = new("MSTest", Mtp((dll, ns) => [dll, "--filter", $"FullyQualifiedName~{ns}."]));

    /// <summary>An MSTest suite built without TestLocks' hook.</summary>
    public static Suite MSTestUnregistered { get; } = new("MSTestUnregistered", Mtp((dll, ns) => [dll, "--filter", $"FullyQualifiedName~{ns}."]));

    /// <summary>The TUnit suite, on Microsoft.Testing.Platform.</summary>
    public static Suite TUnit { get; } = new("TUnit", Mtp((dll, ns) => [dll, "--treenode-filter", $"/*/{ns}/*/*"]));

    /// <summary>The xUnit v3 suite of the xUnit surface tests.</summary>
    public static Suite XunitV3 { get; } = new("XunitV3", (dll, ns, trx) => [dll, "-namespace", ns, "-maxThreads", "unlimited", "-noLogo", "-noColor", "-result-trx", trx]);

    /// <summary>The xUnit v2 suite of the xUnit surface tests, through dotnet test.</summary>
    public static Suite XunitV2 { get; } = new("XunitV2", (dll, ns, trx) =>
        ["test", dll, "--filter", $"FullyQualifiedName~{ns}.", "--logger", $"trx;LogFileName={trx}", "--", "xUnit.MaxParallelThreads=-1"]);

    /// <summary>Starts the tests of namespace <c>Fx.{area}</c> with the scenario's lock_path, prefix and journal.</summary>
    public ChildRun Start(Scenario scenario, string area, IReadOnlyDictionary<string, string>? environment = null)
    {
        var trx = Path.Combine(scenario.Directory, $"{area}-{Guid.NewGuid():N}.trx");
        // Through `env --default-signal=INT`: a launcher that ignores SIGINT (nohup, setsid from a script, build/test.sh)
        // passes that on, and .NET leaves an ignored SIGINT ignored; Ctrl+C (ChildRun.Interrupt) must reach the suite.
        var start = new ProcessStartInfo("env") { WorkingDirectory = scenario.Directory };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        foreach (var a in _arguments(_dll, "Fx." + area, trx)) start.ArgumentList.Add(a);
        Configure(start, scenario, environment);
        return new ChildRun(start, trx);
    }

    /// <summary>The NUnit scenario host (tests/TestLocks.NUnit.Scenarios) running the tests whose full name matches
    /// <paramref name="pattern"/>; it journals "TAG phase" lines to the scenario's journal.</summary>
    public static Process StartNUnit(Scenario scenario, string pattern, string tag)
    {
        var dll = Path.GetFullPath(typeof(Suite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NUnit").Value!);
        var start = new ProcessStartInfo("dotnet", [dll, "run", pattern])
        {
            WorkingDirectory = scenario.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        Configure(start, scenario, new Dictionary<string, string> { ["SCENARIO_JOURNAL"] = scenario.Journal.Path, ["SCENARIO_TAG"] = tag });
        return Process.Start(start)!;
    }

    private static Func<string, string, string, string[]> Mtp(Func<string, string, string[]> select) => (dll, ns, trx) =>
        [.. select(dll, ns), "--report-trx", "--report-trx-filename", Path.GetFileName(trx), "--results-directory", Path.GetDirectoryName(trx)!, "--no-ansi", "--no-progress"];

    private static void Configure(ProcessStartInfo start, Scenario scenario, IReadOnlyDictionary<string, string>? environment)
    {
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TESTLOCKS_", StringComparison.Ordinal) || k.StartsWith("SCENARIO_", StringComparison.Ordinal) || k == "OSLO_LOCK_PATH").ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["TESTLOCKS_LOCK_PATH"] = scenario.LockPath;
        start.Environment["TESTLOCKS_LOCK_FILE_PREFIX"] = scenario.Prefix;
        start.Environment[Fx.Journal.Variable] = scenario.Journal.Path;
        start.Environment["TESTLOCKS_NO_TERMINAL"] = "1"; // wait lines stay out of the terminal or CI log of whoever runs these tests
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
    }
}
