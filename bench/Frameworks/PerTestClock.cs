using System.Diagnostics;
using System.Globalization;

namespace TestLocks.Bench;

/// <summary>
/// Times one class of BENCH_TESTS (default 5000) test cases from its class set-up to its class clean-up, inside the test
/// process (process start-up and discovery are left out), and appends <c>label|tests|microseconds per test</c> to the
/// file BENCH_OUT.
/// </summary>
public static class PerTestClock
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> s_starts = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> s_ran = new();
    private static long s_start;

    public static int Count { get; } = int.TryParse(Environment.GetEnvironmentVariable("BENCH_TESTS"), out var n) ? n : 5000;

    public static IEnumerable<int> Rows => Enumerable.Range(0, Count);

    public static void Start() => s_start = Stopwatch.GetTimestamp();

    public static void Stop(string label) => Write(label, Stopwatch.GetElapsedTime(s_start).TotalMicroseconds / Count);

    /// <summary>Starts the clock of <paramref name="label"/>, for a runner that may set up a class whose tests a filter
    /// left out (NUnit through VSTest does, for 5,000 cases): each class keeps its own clock and counts its tests.</summary>
    public static void Start(string label) => s_starts[label] = Stopwatch.GetTimestamp();

    /// <summary>A test of <paramref name="label"/> ran.</summary>
    public static void Ran(string label) => s_ran.AddOrUpdate(label, 1, static (_, n) => n + 1);

    /// <summary>Stops the clock of <paramref name="label"/>; writes nothing when none of its tests ran.</summary>
    public static void StopCounted(string label)
    {
        if (!s_starts.TryGetValue(label, out var start) || !s_ran.TryGetValue(label, out var ran)) return;
        Write(label, Stopwatch.GetElapsedTime(start).TotalMicroseconds / ran);
    }

    private static void Write(string label, double perTest)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{label}|{Count}|{perTest:0.0}\n");
        File.AppendAllText(Environment.GetEnvironmentVariable("BENCH_OUT") ?? "per-test.txt", line);
    }
}
