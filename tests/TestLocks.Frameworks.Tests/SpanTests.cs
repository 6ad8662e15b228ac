using System.Text.Json;
using TestLocks.Frameworks.Tests.Harness;
using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Frameworks.Tests;

/// <summary>
/// TestLocks' OpenTelemetry spans as a user's tracing sees them (issue 24): the fixture suite runs through its real runner
/// (Microsoft.Testing.Platform executables for MSTest and TUnit, xUnit v3's executable, dotnet test for xUnit v2 and NUnit) with the real OpenTelemetry SDK's tracer provider and in-memory exporter
/// (tests/Fixtures/Tracing/Spans.cs), a test waits for a lock the harness holds, and the spans it exported must show the
/// wait and the hold with the OpenTelemetry test conventions, nested under the framework's span of the test where the
/// framework makes one (TUnit's "test case"; MSTest makes none without Microsoft.Testing.Platform's OpenTelemetry
/// extension, NUnit and xUnit none at all; see docs/reports.md). All five frameworks, each through its real runner.
/// </summary>
public sealed class SpanTests
{
    /// <summary>Each framework's suite and the name its test case has: the display name the framework reports.</summary>
    public static TheoryData<string, string> Frameworks => new()
    {
        { "TUnit", "Waits" },
        { "MSTest", "Waits" },
        { "xUnit v3", "Fx.Reports.WaitsForTheHarness.Waits" },
        { "xUnit v2", "Fx.Reports.WaitsForTheHarness.Waits" },
        { "NUnit", "Waits" },
    };

    [Theory, MemberData(nameof(Frameworks))]
    public async Task The_wait_and_hold_spans_carry_the_test_s_name_and_nest_under_the_framework_s_span_of_the_test(string framework, string caseName)
    {
        var suite = framework switch
        {
            "TUnit" => Suite.TUnit,
            "MSTest" => Suite.MSTest,
            "xUnit v3" => Suite.XunitV3,
            "xUnit v2" => Suite.XunitV2,
            _ => Suite.NUnit,
        };
        using var scenario = new Scenario();
        var spansFile = Path.Combine(scenario.Directory, "spans.jsonl");
        var held = scenario.Hold("report-lock");
        using var child = suite.StartReporting(scenario, "Reports", new Dictionary<string, string> { ["FIXTURE_SPANS"] = spansFile }, out _, out _);
        await scenario.Journal.WaitForAsync("the test to wait for \"report-lock\"",
            j => j.Any(e => e.What == "waiting" && e.Detail == scenario.Prefix + "report-lock"), child);
        scenario.Release(held);
        var result = Assert.Single((await child.CompleteAsync()).Values);
        Assert.True(result.Passed, $"{result.Name}: {result.Outcome} {result.Message}");

        Assert.True(File.Exists(spansFile), $"the fixture wrote no spans file\n{child.Output}");
        var spans = File.ReadAllLines(spansFile).Select(l => JsonSerializer.Deserialize<Span>(l, Json)!).ToList();
        var all = string.Join('\n', spans);
        var wait = Assert.Single(spans, s => s.Name == "testlocks.wait" && s.Tag("testlocks.lock") == scenario.Prefix + "report-lock");
        var hold = Assert.Single(spans, s => s.Name == "testlocks.hold" && s.Tag("testlocks.lock") == scenario.Prefix + "report-lock");
        foreach (var span in new[] { wait, hold })
        {
            Assert.True(span.Tag("test.case.name") == caseName, $"{span.Name} has test.case.name \"{span.Tag("test.case.name")}\", not \"{caseName}\"\n{all}");
            Assert.True(span.Tag("test.suite.name") == "WaitsForTheHarness", $"{span.Name} has test.suite.name \"{span.Tag("test.suite.name")}\"\n{all}");
        }
        if (framework == "TUnit")
        {
            var test = Assert.Single(spans, s => s.Name == "test case" && s.Tag("test.case.name") == "Waits");
            foreach (var span in new[] { wait, hold })
            {
                Assert.True(span.ParentSpanId == test.SpanId && span.TraceId == test.TraceId,
                    $"{span.Name} is not a child of TUnit's span of the test ({test.TraceId}/{test.SpanId}): its parent is {span.TraceId}/{span.ParentSpanId}\n{all}");
            }
        }
        else
        {
            // MSTest (without Microsoft.Testing.Platform's OpenTelemetry extension), NUnit and xUnit start no span for a
            // test, and none is current: the lock spans are roots, not children of a span left over from another test.
            Assert.All(new[] { wait, hold }, s => Assert.Equal("", s.ParentSpanId));
        }
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private sealed record Span(string Name, string TraceId, string SpanId, string ParentSpanId, Dictionary<string, string?> Tags)
    {
        public string? Tag(string key) => Tags.GetValueOrDefault(key);

        public override string ToString() =>
            $"{Name} {TraceId}/{SpanId} parent {ParentSpanId}: {string.Join(", ", Tags.Select(t => $"{t.Key}={t.Value}"))}";
    }
}
