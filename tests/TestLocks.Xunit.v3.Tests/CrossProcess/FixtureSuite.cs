using System.Diagnostics;
using System.Globalization;
using System.Reflection;

using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Xunit.Tests.CrossProcess;

/// <summary>
/// A built fixture suite (tests/Fixtures) and how to start it as a test process: an xUnit v3 suite runs as its own
/// executable, an xUnit v2 suite through <c>dotnet test</c> on its assembly, as VSTest runs it in CI.
/// </summary>
internal sealed class FixtureSuite
{
    private readonly string _dll;
    private readonly bool _isV3;

    private FixtureSuite(string metadataKey, bool isV3)
    {
        _dll = typeof(FixtureSuite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == metadataKey).Value!;
        _isV3 = isV3;
    }

    public static FixtureSuite V2 { get; } = new("FixtureV2", isV3: false);
    public static FixtureSuite V3 { get; } = new("FixtureV3", isV3: true);
    public static FixtureSuite V3AllMode { get; } = new("FixtureV3AllMode", isV3: true);

    /// <summary>Starts the tests of namespace <c>Fx.{area}</c> with the scenario's lock_path, prefix and journal, with
    /// <paramref name="maxThreads"/> parallel slots (unlimited when null).</summary>
    public ChildRun Start(Scenario scenario, string area, IReadOnlyDictionary<string, string>? environment = null, int? maxThreads = null)
    {
        var @namespace = "Fx." + area;
        var trx = Path.Combine(scenario.Directory, $"{area}-{Guid.NewGuid():N}.trx");
        // A shell that ignores SIGINT (nohup, `cmd &`, setsid from a script, some CI agents) passes that on to this process
        // and its children, and .NET leaves an ignored SIGINT ignored: give the suite the default back, as in a terminal,
        // so that Ctrl+C (ChildRun.Interrupt) reaches it however these tests were launched.
        var start = new ProcessStartInfo("env") { WorkingDirectory = scenario.Directory };
        string[] arguments = _isV3
            ? ["--default-signal=INT", "dotnet", _dll, "-namespace", @namespace, "-maxThreads", maxThreads?.ToString(CultureInfo.InvariantCulture) ?? "unlimited", "-noLogo", "-noColor", "-result-trx", trx]
            : ["--default-signal=INT", "dotnet", "test", _dll, "--filter", $"FullyQualifiedName~{@namespace}.", "--logger", $"trx;LogFileName={trx}",
               "--", $"xUnit.MaxParallelThreads={maxThreads ?? -1}"];
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TESTLOCKS_", StringComparison.Ordinal) || k == "OSLO_LOCK_PATH").ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["TESTLOCKS_LOCK_PATH"] = scenario.LockPath;
        start.Environment["TESTLOCKS_LOCK_FILE_PREFIX"] = scenario.Prefix;
        start.Environment[Fx.Journal.Variable] = scenario.Journal.Path;
        start.Environment["TESTLOCKS_NO_TERMINAL"] = "1"; // wait lines stay out of the terminal of whoever runs these tests
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return new ChildRun(start, trx);
    }
}
