using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Fx;

/// <summary>
/// When <see cref="Variable"/> names a file, the fixture process traces itself as a user's OpenTelemetry setup does: the
/// real SDK's tracer provider, listening to TestLocks and to the test framework's own sources, exporting to the SDK's
/// in-memory exporter; as the process exits, every exported span goes to that file as one JSON line (name, trace id,
/// span id, parent span id, tags), appended, for the harness to read.
/// </summary>
public static class Spans
{
    /// <summary>The environment variable that names the spans file.</summary>
    public const string Variable = "FIXTURE_SPANS";

    private static readonly List<Activity> s_exported = [];
    private static TracerProvider? s_provider;

    [ModuleInitializer]
#pragma warning disable CA2255 // the provider must listen before the framework starts its first test
    internal static void Trace()
#pragma warning restore CA2255
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path) return;
        s_provider = Sdk.CreateTracerProviderBuilder()
            .AddSource("TestLocks", "TUnit", "Microsoft.Testing.Platform")
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(s_exported)
            .Build();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Write(path);
    }

    private static void Write(string path)
    {
        s_provider?.ForceFlush();
        Activity[] spans;
        lock (s_exported) spans = [.. s_exported];
        // Appended: a runner may start the test host as a child of itself, and both processes exit.
        File.AppendAllLines(path, spans.Select(s => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["name"] = s.OperationName,
            ["traceId"] = s.TraceId.ToHexString(),
            ["spanId"] = s.SpanId.ToHexString(),
            ["parentSpanId"] = s.ParentSpanId == default ? "" : s.ParentSpanId.ToHexString(),
            ["tags"] = Tags(s),
        })));
    }

    private static Dictionary<string, string?> Tags(Activity span)
    {
        var tags = new Dictionary<string, string?>();
        foreach (var (key, value) in span.TagObjects) tags[key] = value?.ToString();
        return tags;
    }
}
