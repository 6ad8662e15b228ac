using System.Collections.Concurrent;
using System.Diagnostics;
namespace TestLocks;
internal static class CountedTrace
{
    private static readonly string? s_path = Environment.GetEnvironmentVariable("TESTLOCKS_COUNTED_TRACE");
    private static readonly ConcurrentQueue<string> s_events = new();
    static CountedTrace()
    {
        if (s_path is not null) AppDomain.CurrentDomain.ProcessExit += (_, _) => File.AppendAllLines(s_path + "." + Environment.ProcessId, s_events);
    }
    public static void Mark(string what, int index = -1)
    {
        if (s_path is null) return;
        s_events.Enqueue($"{Stopwatch.GetTimestamp()} {Environment.CurrentManagedThreadId} {what} {index}");
    }
}
