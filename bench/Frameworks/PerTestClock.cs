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
    private static long s_start;

    public static int Count { get; } = int.TryParse(Environment.GetEnvironmentVariable("BENCH_TESTS"), out var n) ? n : 5000;

    public static IEnumerable<int> Rows => Enumerable.Range(0, Count);

    public static void Start() => s_start = Stopwatch.GetTimestamp();

    public static void Stop(string label)
    {
        var perTest = Stopwatch.GetElapsedTime(s_start).TotalMicroseconds / Count;
        var line = string.Create(CultureInfo.InvariantCulture, $"{label}|{Count}|{perTest:0.0}\n");
        File.AppendAllText(Environment.GetEnvironmentVariable("BENCH_OUT") ?? "per-test.txt", line);
    }
}
