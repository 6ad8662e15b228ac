using System.Diagnostics;
using System.Reflection;
using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Frameworks.Tests.Harness;

/// <summary>
/// A built fixture suite (tests/Fixtures) and how its framework's own runner starts it as a test process: MSTest and
/// TUnit suites are Microsoft.Testing.Platform executables that write TRX with <c>--report-trx</c>; an xUnit v3 suite is
/// an executable with its own TRX option; xUnit v2 and NUnit suites (and the MSTest project as <c>dotnet new mstest</c>
/// makes it) run through <c>dotnet test</c> on VSTest, with their adapters.
/// </summary>
internal sealed class Suite
{
    private readonly string _dll;
    private readonly Func<string, string[], string, string[]> _arguments;
    private readonly Func<string, JUnitReport>? _junit;

    private Suite(string metadataKey, Func<string, string[], string, string[]> arguments, Func<string, JUnitReport>? junit = null)
    {
        _dll = Path.GetFullPath(typeof(Suite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == metadataKey).Value!);
        _arguments = arguments;
        _junit = junit;
    }

    /// <summary>Whether the suite's runner writes JUnit XML (<see cref="StartReporting"/>).</summary>
    public bool WritesJUnit => _junit is not null;

    /// <summary>The MSTest suite, on Microsoft.Testing.Platform.</summary>
    public static Suite MSTest { get; } = new("MSTest", Mtp(ns => ["--filter", string.Join('|', ns.Select(n => $"FullyQualifiedName~{n}."))]));

    /// <summary>An MSTest suite built without TestLocks' hook.</summary>
    public static Suite MSTestUnregistered { get; } = new("MSTestUnregistered", Mtp(ns => ["--filter", string.Join('|', ns.Select(n => $"FullyQualifiedName~{n}."))]));

    /// <summary>An MSTest suite without assembly-level TestLocks attributes, on VSTest.</summary>
    public static Suite MSTestPlain { get; } = new("MSTestPlain", VsTest(), VsTestJUnit);

    /// <summary>The TUnit suite, on Microsoft.Testing.Platform.</summary>
    public static Suite TUnit { get; } = new("TUnit", Mtp(ns => ["--treenode-filter", $"/*/{string.Join('|', ns.Select(n => $"({n})"))}/*/*"]), TUnitJUnit);

    /// <summary>A TUnit suite without assembly-level TestLocks attributes.</summary>
    public static Suite TUnitPlain { get; } = new("TUnitPlain", Mtp(ns => ["--treenode-filter", $"/*/{string.Join('|', ns.Select(n => $"({n})"))}/*/*"]));

    /// <summary>The xUnit v3 suite.</summary>
    public static Suite XunitV3 { get; } = new("XunitV3", XunitV3Runner, junit => new(["-result-junit", junit], []));

    /// <summary>An xUnit v3 suite without assembly-level TestLocks attributes (in ParallelMode.All).</summary>
    public static Suite XunitV3Plain { get; } = new("XunitV3Plain", XunitV3Runner);

    /// <summary>An xUnit v3 suite that turns off TestLocks' registration.</summary>
    public static Suite XunitV3Unregistered { get; } = new("XunitV3Unregistered", XunitV3Runner);

    /// <summary>The xUnit v2 suite, through dotnet test.</summary>
    public static Suite XunitV2 { get; } = new("XunitV2", VsTest("xUnit.MaxParallelThreads=-1"), VsTestJUnit);

    /// <summary>An xUnit v2 suite without assembly-level TestLocks attributes.</summary>
    public static Suite XunitV2Plain { get; } = new("XunitV2Plain", VsTest("xUnit.MaxParallelThreads=-1"));

    /// <summary>An xUnit v2 suite that turns off TestLocks' registration.</summary>
    public static Suite XunitV2Unregistered { get; } = new("XunitV2Unregistered", VsTest("xUnit.MaxParallelThreads=-1"));

    /// <summary>The NUnit suite, through dotnet test and NUnit's VSTest adapter.</summary>
    public static Suite NUnit { get; } = new("NUnitFixture", VsTest(), VsTestJUnit);

    /// <summary>An NUnit suite without assembly-level TestLocks attributes.</summary>
    public static Suite NUnitPlain { get; } = new("NUnitPlain", VsTest());

    /// <summary>Starts the tests of namespace <c>Fx.{area}</c> with the scenario's lock_path, prefix and journal.</summary>
    public ChildRun Start(Scenario scenario, string area, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(scenario, [area], environment);

    /// <summary>Starts the tests of namespace <c>Fx.{area}</c> with <paramref name="arguments"/> after the runner's own
    /// (for a Microsoft.Testing.Platform executable: <c>--config-file</c>, which MSTest takes its workers from).</summary>
    public ChildRun Start(Scenario scenario, string area, IReadOnlyDictionary<string, string>? environment, IReadOnlyList<string> arguments) =>
        Start(scenario, [area], environment, Path.Combine(scenario.Directory, $"{area}-{Guid.NewGuid():N}.trx"), junit: null, arguments);

    /// <summary>Starts the tests of the namespaces <c>Fx.{area}</c> of <paramref name="areas"/> in one test process.</summary>
    public ChildRun Start(Scenario scenario, string[] areas, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(scenario, areas, environment, Path.Combine(scenario.Directory, $"{string.Join('-', areas)}-{Guid.NewGuid():N}.trx"), junit: null);

    /// <summary>Starts the tests of <c>Fx.{area}</c> writing a TRX report to <paramref name="trx"/> and, where the runner
    /// has a JUnit XML reporter (<see cref="WritesJUnit"/>), a JUnit XML report to <paramref name="junit"/> (else null).</summary>
    public ChildRun StartReporting(Scenario scenario, string area, IReadOnlyDictionary<string, string>? environment, out string trx, out string? junit)
    {
        trx = Path.Combine(scenario.Directory, $"{area}-{Guid.NewGuid():N}.trx");
        junit = _junit is null ? null : Path.ChangeExtension(trx, ".junit.xml");
        return Start(scenario, [area], environment, trx, junit);
    }

    private ChildRun Start(Scenario scenario, string[] areas, IReadOnlyDictionary<string, string>? environment, string trx, string? junit,
        IReadOnlyList<string>? extra = null)
    {
        var report = junit is null ? null : _junit!(junit);
        // Through `env --default-signal=INT`: a launcher that ignores SIGINT (nohup, setsid from a script, build/test.sh)
        // passes that on, and .NET leaves an ignored SIGINT ignored; Ctrl+C (ChildRun.Interrupt) must reach the suite.
        var start = new ProcessStartInfo("env") { WorkingDirectory = scenario.Directory };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        var arguments = _arguments(_dll, [.. areas.Select(a => "Fx." + a)], trx).ToList();
        arguments.InsertRange(arguments.IndexOf(_dll) + 1, report?.Arguments ?? []); // before VSTest's run settings
        arguments.AddRange(extra ?? []);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        Configure(start, scenario, environment);
        foreach (var (name, value) in report?.Environment ?? []) start.Environment[name] = value;
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

    /// <summary>VSTest's JUnit XML logger (the JunitXml.TestLogger package in the suite's output).</summary>
    private static JUnitReport VsTestJUnit(string junit) => new(["--logger", $"junit;LogFilePath={junit}"], []);

    /// <summary>TUnit's own JUnit XML reporter, which only an environment variable (or a GitLab CI job) turns on.</summary>
    private static JUnitReport TUnitJUnit(string junit) => new([], [("TUNIT_ENABLE_JUNIT_REPORTER", "true"), ("JUNIT_XML_OUTPUT_PATH", junit)]);

    private static string[] XunitV3Runner(string dll, string[] namespaces, string trx) =>
        [dll, .. namespaces.SelectMany(n => new[] { "-namespace", n }), "-maxThreads", "unlimited", "-noLogo", "-noColor", "-result-trx", trx];

    private static Func<string, string[], string, string[]> VsTest(params string[] runSettings) => (dll, namespaces, trx) =>
        ["test", dll, "--filter", string.Join('|', namespaces.Select(n => $"FullyQualifiedName~{n}.")), "--logger", $"trx;LogFileName={Path.GetFileName(trx)}",
         "--results-directory", Path.GetDirectoryName(trx)!, // a TRX's result files are found from its folder
         .. runSettings.Length == 0 ? Array.Empty<string>() : ["--", .. runSettings]];

    private static Func<string, string[], string, string[]> Mtp(Func<string[], string[]> select) => (dll, namespaces, trx) =>
        [dll, .. select(namespaces), "--report-trx", "--report-trx-filename", Path.GetFileName(trx), "--results-directory", Path.GetDirectoryName(trx)!, "--no-ansi", "--no-progress"];

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

    /// <summary>What turns a runner's JUnit XML report on: arguments and environment variables.</summary>
    private sealed record JUnitReport(string[] Arguments, (string Name, string Value)[] Environment);
}
