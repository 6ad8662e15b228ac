using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Fx;

/// <summary>
/// When <see cref="Variable"/> names a file, the fixture process traces itself as a user's OpenTelemetry setup does: the
/// real SDK's tracer provider, listening to every source (TestLocks and the test framework's own), exporting to the SDK's
/// in-memory exporter, whose collection appends each span it gets to that file as one JSON line (name, trace id, span id,
/// parent span id, tags) for the harness to read. At once, not as the process exits: VSTest ends its test host before
/// that.
/// </summary>
public static class Spans
{
    /// <summary>The environment variable that names the spans file.</summary>
    public const string Variable = "FIXTURE_SPANS";

    private static TracerProvider? s_provider;

    [ModuleInitializer]
#pragma warning disable CA2255 // the provider must listen before the framework starts its first test
    internal static void Trace()
#pragma warning restore CA2255
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path) return;
        s_provider = Sdk.CreateTracerProviderBuilder()
            .AddSource("*") // TestLocks and whatever span of a test the framework makes (TUnit: "test case")
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(new SpanFile(path))
            .Build();
    }

    /// <summary>The exporter's collection: each span added is appended to the file (the SDK exports one at a time).</summary>
    private sealed class SpanFile(string path) : Collection<Activity>
    {
        protected override void InsertItem(int index, Activity item)
        {
            base.InsertItem(index, item);
            File.AppendAllText(path, JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["name"] = item.OperationName,
                ["traceId"] = item.TraceId.ToHexString(),
                ["spanId"] = item.SpanId.ToHexString(),
                ["parentSpanId"] = item.ParentSpanId == default ? "" : item.ParentSpanId.ToHexString(),
                ["tags"] = Tags(item),
            }) + "\n");
        }
    }

    private static Dictionary<string, string?> Tags(Activity span)
    {
        var tags = new Dictionary<string, string?>();
        foreach (var (key, value) in span.TagObjects) tags[key] = value?.ToString();
        return tags;
    }
}
