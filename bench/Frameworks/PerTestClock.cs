using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace TestLocks.Bench;

/// <summary>
/// Measures one class of BENCH_TESTS (default 5000) test cases, run alone in its test process: every test calls
/// <see cref="Ran"/>. The window opens after the class's first fifth (its warm-up: the JIT of the path, paid once per
/// process) and closes when the process exits, so that it also holds what the runner does with the tests' results after
/// the tests (NUnit and xUnit report them from threads of their own, which may lag the tests by seconds on a loaded
/// machine). CPU time is the whole test process's (user + system, every thread: the tests', the framework's, the
/// reporting's, the runtime's, the GC's), from getrusage: other load on the machine stretches wall-clock time many times,
/// CPU time much less. Appends one line per class to the file BENCH_OUT:
/// <c>label|tests|wall µs|CPU µs|user µs|system µs|allocated bytes|context switches</c>, each per test of the window (wall
/// time from the window's first test to its last).
/// </summary>
public static class PerTestClock
{
    private static readonly ConcurrentDictionary<string, Window> s_windows = new();

    public static int Count { get; } = int.TryParse(Environment.GetEnvironmentVariable("BENCH_TESTS"), out var n) && n >= 10 ? n : 5000;

    /// <summary>The tests of a class that run before the measured window.</summary>
    public static int WarmUp => Count / 5;

    public static IEnumerable<int> Rows => Enumerable.Range(0, Count);

    /// <summary>A test of <paramref name="label"/> ran: the window opens after the warm-up tests.</summary>
    public static void Ran(string label)
    {
        var window = s_windows.GetOrAdd(label, static _ => new Window());
        var ran = Interlocked.Increment(ref window.Ran);
        if (ran == WarmUp)
        {
            AllocationSample.Start();
            window.Threads = ThreadTimes();
            window.WorkItems = ThreadPool.CompletedWorkItemCount;
            window.Contentions = Monitor.LockContentionCount;
            window.From = Snapshot.Take();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Close(label, window);
        }
        else if (ran == Count)
        {
            window.LastTest = Stopwatch.GetTimestamp();
        }
    }

    private static void Close(string label, Window window)
    {
        if (window.LastTest == 0) return; // not every test ran: no figure
        var to = Snapshot.Take();
        Write(label, window.From, to with { Wall = window.LastTest }, Count - WarmUp);
        WriteThreads(label, window.Threads, Count - WarmUp);
        WritePool(label, window, Count - WarmUp);
        AllocationSample.Stop(label);
    }

    private static void Write(string label, Snapshot from, Snapshot to, int tests)
    {
        double Per(double total) => total / tests;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{label}|{Count}|{Per(Stopwatch.GetElapsedTime(from.Wall, to.Wall).TotalMicroseconds):0.0}|{Per(to.User + to.System - from.User - from.System):0.0}|" +
            $"{Per(to.User - from.User):0.0}|{Per(to.System - from.System):0.0}|{Per(to.Allocated - from.Allocated):0}|{Per(to.Switches - from.Switches):0.00}\n");
        File.AppendAllText(Environment.GetEnvironmentVariable("BENCH_OUT") ?? "per-test.txt", line);
        // For a profile of the window only: perf record -k CLOCK_MONOTONIC stamps its samples with the same clock.
        if (Environment.GetEnvironmentVariable("BENCH_WINDOW") is { } window)
        {
            File.AppendAllText(window, string.Create(CultureInfo.InvariantCulture,
                $"{label}|{Environment.ProcessId}|{from.Wall * 1e9 / Stopwatch.Frequency:0}|{to.Wall * 1e9 / Stopwatch.Frequency:0}\n"));
        }
    }

    private sealed class Window
    {
        public int Ran;
        public Snapshot From;
        public Dictionary<string, long>? Threads;
        public long LastTest;
        public long WorkItems;
        public long Contentions;
    }

    /// <summary>CPU nanoseconds of this process's threads so far, summed by thread name (/proc/self/task/*/schedstat),
    /// with BENCH_THREADS set (a file the window's CPU time per thread name is appended to; threads that ended before the
    /// process exits are left out); else null.</summary>
    private static Dictionary<string, long>? ThreadTimes()
    {
        if (Environment.GetEnvironmentVariable("BENCH_THREADS") is null) return null;
        var times = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                var ns = long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                times[name] = times.GetValueOrDefault(name) + ns;
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return times;
    }

    private static void WriteThreads(string label, Dictionary<string, long>? from, int tests)
    {
        if (from is null || ThreadTimes() is not { } to) return;
        var lines = to.Select(t => (t.Key, Us: (t.Value - from.GetValueOrDefault(t.Key)) / 1e3 / tests)).Where(t => t.Us >= 0.5).OrderByDescending(t => t.Us)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{label}|{t.Key}|{t.Us:0.0}"));
        File.AppendAllLines(Environment.GetEnvironmentVariable("BENCH_THREADS")!, lines);
    }

    /// <summary>With BENCH_POOL set (a file): the thread pool's work items completed and the lock contentions per test of the
    /// window, and the pool's threads at the end: a test path that hops threads (an await that completes asynchronously, a
    /// Task.Run, a timer) shows as more work items per test.</summary>
    private static void WritePool(string label, Window window, int tests)
    {
        if (Environment.GetEnvironmentVariable("BENCH_POOL") is not { } file) return;
        File.AppendAllText(file, string.Create(CultureInfo.InvariantCulture,
            $"{label}|{(ThreadPool.CompletedWorkItemCount - window.WorkItems) / (double)tests:0.000}|{(Monitor.LockContentionCount - window.Contentions) / (double)tests:0.000}|{ThreadPool.ThreadCount}\n"));
    }

    private readonly record struct Snapshot(long Wall, double User, double System, long Allocated, long Switches)
    {
        public static Snapshot Take()
        {
            var usage = new RUsage();
            if (getrusage(0 /* RUSAGE_SELF */, ref usage) != 0) throw new InvalidOperationException("getrusage failed: " + Marshal.GetLastPInvokeError());
            return new Snapshot(Stopwatch.GetTimestamp(), usage.UserSeconds * 1e6 + usage.UserMicroseconds, usage.SystemSeconds * 1e6 + usage.SystemMicroseconds,
                GC.GetTotalAllocatedBytes(precise: true), usage.VoluntarySwitches + usage.InvoluntarySwitches);
        }
    }

    /// <summary>Linux's struct rusage on 64-bit: two timevals, then 14 longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, IxRss, IdRss, IsRss, MinorFaults, MajorFaults, Swaps, BlocksIn, BlocksOut, MessagesSent, MessagesReceived, Signals;
        public long VoluntarySwitches, InvoluntarySwitches;
    }

#pragma warning disable CA5392, SYSLIB1054 // a benchmark's one libc call, from the test process
    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, ref RUsage usage);
#pragma warning restore CA5392, SYSLIB1054
}
