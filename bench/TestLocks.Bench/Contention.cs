using System.Diagnostics;
using System.Globalization;

namespace TestLocks.Bench;

/// <summary>
/// N processes on one lock, each taking it, holding it about 1 ms and releasing it, as fast as it can, for a fixed time
/// (the contention table of issue 22). Each child records, per acquire, when its acquire returned and when it released
/// (Stopwatch is CLOCK_MONOTONIC on Linux: stamps compare across processes) and its CPU time over the run; the parent
/// merges them: acquires per second, the handoff (a release to the next acquire) p50/p99, client CPU per acquire, and
/// the most and fewest acquires of one process. All children start together (ready files, then a go file).
/// Steady state only: the children contend until each has taken the lock CONTEND_WARMUP times (default 100) before the
/// measured SECONDS begin, so the JIT compiling the contended path (at tier 0, again with profiling after 30 calls, and
/// at tier 1 after 30 more: a count of calls, not a time, which 32 processes sharing a lock reach 16 times later than
/// 2), the first subscriptions and the thread pool's growth fall before it. Then the parent writes the measure file
/// with the window's start time. Each child reads its CPU time (getrusage) at its first acquire in the window and at
/// its first after it, and counts the acquires in between: the CPU per acquire is that of the acquires counted.
/// TESTLOCKS_BACKEND_URL picks the backend (unset: lock files in DIR); CONTEND_DIRECT=1 takes the lock through
/// DistributedLock directly.
/// </summary>
internal static class Contention
{
    public static int Run(string dir, int processes, double seconds)
    {
        foreach (var f in Directory.GetFiles(dir, "contend-*")) File.Delete(f);
        var children = Enumerable.Range(0, processes).Select(i => Process.Start(new ProcessStartInfo("dotnet",
            [typeof(Contention).Assembly.Location, "contend-child", dir, i.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture)]))!).ToList();
        while (Directory.GetFiles(dir, "contend-ready-*").Length < processes)
        {
            if (children.Any(c => c.HasExited)) throw new InvalidOperationException("a contention child exited before it was ready");
            Thread.Sleep(20);
        }
        // Written to a temporary name and moved, so a child never reads it half written.
        File.WriteAllText(Path.Combine(dir, "contend-go"), "");
        while (Directory.GetFiles(dir, "contend-warm-*").Length < processes)
        {
            if (children.Any(c => c.HasExited)) throw new InvalidOperationException("a contention child exited before it was warm");
            Thread.Sleep(20);
        }
        // Written to a temporary name and moved, so a child never reads it half written.
        File.WriteAllText(Path.Combine(dir, "contend-measure.tmp"), Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture));
        File.Move(Path.Combine(dir, "contend-measure.tmp"), Path.Combine(dir, "contend-measure"));
        foreach (var c in children) c.WaitForExit();
        var holds = new List<(long Acquired, long Released)>();
        var counts = new List<int>();
        var cpu = 0.0;
        var items = 0L;
        for (var i = 0; i < processes; i++)
        {
            var lines = File.ReadAllLines(Path.Combine(dir, $"contend-out-{i}"));
            var first = lines[0].Split(' ');
            cpu += double.Parse(first[0], CultureInfo.InvariantCulture);
            items += long.Parse(first[1], CultureInfo.InvariantCulture);
            var mine = lines.Skip(1).Select(l => l.Split(' ')).Select(p => (long.Parse(p[0], CultureInfo.InvariantCulture), long.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
            counts.Add(mine.Count);
            holds.AddRange(mine);
        }
        holds.Sort();
        var handoffs = new List<double>();
        var overlaps = 0;
        for (var i = 1; i < holds.Count; i++)
        {
            if (holds[i].Acquired < holds[i - 1].Released) overlaps++;
            handoffs.Add(Stopwatch.GetElapsedTime(holds[i - 1].Released, holds[i].Acquired).TotalMicroseconds);
        }
        handoffs.Sort();
        double P(double q) => handoffs.Count == 0 ? double.NaN : handoffs[Math.Min(handoffs.Count - 1, (int)(q * handoffs.Count))];
        var mean = counts.Average();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"N={processes} {Label()}: {holds.Count / seconds:0}/s, handoff p50 {P(0.5):0} us p99 {P(0.99):0} us, client CPU {cpu / Math.Max(1, holds.Count) * 1000:0.00} ms/acquire, " +
            $"{(double)items / Math.Max(1, holds.Count):0.0} thread-pool work items/acquire, " +
            $"per process max/min {counts.Max()}/{counts.Min()} (mean {mean:0}, {counts.Count(c => c < mean / 2)} below half), overlaps {overlaps}"));
        return overlaps == 0 ? 0 : 1;
    }

    public static int Child(string dir, int index, double seconds)
    {
        var backendUrl = Environment.GetEnvironmentVariable("TESTLOCKS_BACKEND_URL");
        var direct = backendUrl is not null && Environment.GetEnvironmentVariable("CONTEND_DIRECT") == "1" ? DirectLocks.ForUrl(backendUrl).CreateLock("contend") : null;
        var @lock = new LockFactory(new TestLocksSettings { LockPath = dir, BackendUrl = backendUrl }).CreateLock("contend");
        // Warm up the connection without contending: one try, or a short wait.
        using ((IDisposable?)(direct is not null ? direct.TryAcquire(TimeSpan.FromSeconds(30)) : @lock.TryAcquire(TimeSpan.FromSeconds(30)))) { }
        File.WriteAllText(Path.Combine(dir, $"contend-ready-{index}"), "");
        while (!File.Exists(Path.Combine(dir, "contend-go"))) Thread.Sleep(1);
        var warmup = int.Parse(Environment.GetEnvironmentVariable("CONTEND_WARMUP") ?? "100", CultureInfo.InvariantCulture);
        var measureFile = Path.Combine(dir, "contend-measure");
        var end = long.MaxValue;
        var acquires = 0;
        if (warmup == 0) File.WriteAllText(Path.Combine(dir, $"contend-warm-{index}"), "");
        var holds = new List<(long, long)>();
        TimeSpan? cpu0 = null;
        var items0 = 0L;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= end) break;
            if (cpu0 is null && acquires >= warmup && File.Exists(measureFile))
            {
                cpu0 = Environment.CpuUsage.TotalTime;
                items0 = ThreadPool.CompletedWorkItemCount;
                end = long.Parse(File.ReadAllText(measureFile), CultureInfo.InvariantCulture) + (long)(seconds * Stopwatch.Frequency);
            }
            IDisposable handle = direct is not null ? direct.Acquire() : @lock.Acquire();
            var acquired = Stopwatch.GetTimestamp();
            var until = acquired + Stopwatch.Frequency / 1000;
            while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(20); // hold about 1 ms
            var released = Stopwatch.GetTimestamp();
            handle.Dispose();
            if (cpu0 is not null) holds.Add((acquired, released));
            else if (++acquires == warmup) File.WriteAllText(Path.Combine(dir, $"contend-warm-{index}"), "");
        }
        var cpu = (Environment.CpuUsage.TotalTime - (cpu0 ?? Environment.CpuUsage.TotalTime)).TotalSeconds;
        var items = cpu0 is null ? 0 : ThreadPool.CompletedWorkItemCount - items0;
        File.WriteAllLines(Path.Combine(dir, $"contend-out-{index}"),
            [string.Create(CultureInfo.InvariantCulture, $"{cpu:R} {items}"), .. holds.Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Item1} {h.Item2}"))]);
        return 0;
    }

    private static string Label()
    {
        var url = Environment.GetEnvironmentVariable("TESTLOCKS_BACKEND_URL");
        if (url is null) return "files";
        var scheme = new Uri(url).Scheme;
        return Environment.GetEnvironmentVariable("CONTEND_DIRECT") == "1" ? $"DistributedLock {scheme} direct" : $"TestLocks {scheme}";
    }
}
