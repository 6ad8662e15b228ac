using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace TestLocks.Bench;

/// <summary>With BENCH_ALLOC_TYPES set to a file path: the runtime's allocation samples (one per ~100 KB allocated, by
/// type) from the measured window, counted, written to that file at its end. To find what a test allocates.</summary>
internal sealed class AllocationSample : EventListener
{
    private static readonly string? s_path = Environment.GetEnvironmentVariable("BENCH_ALLOC_TYPES");
    private static AllocationSample? s_listener;
    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private volatile bool _on;

    public static void Start()
    {
        if (s_path is null) return;
        s_listener ??= new AllocationSample();
        s_listener._on = true;
    }

    public static void Stop(string label)
    {
        if (s_listener is not { } listener) return;
        listener._on = false;
        var lines = listener._bytes.OrderByDescending(p => p.Value).Take(40).Select(p => $"{label}\t{p.Value}\t{p.Key}");
        File.AppendAllLines(s_path!, lines);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_on || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null) return;
        var name = eventData.PayloadNames!.IndexOf("TypeName") is var i and >= 0 ? eventData.Payload[i] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var j and >= 0 ? Convert.ToInt64(eventData.Payload[j], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(name, amount, (_, n) => n + amount);
    }
}
