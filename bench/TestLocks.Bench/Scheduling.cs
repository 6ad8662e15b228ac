using System.Diagnostics;
using System.Globalization;

namespace TestLocks.Bench;

/// <summary>
/// The scheduling benchmark (bench/sched.sh): one test process of a framework with P = 2 parallel slots runs the suite
/// of bench/Scheduling (K = 2 tests marked with "sched-lock", U = 8 unmarked tests of d seconds each) while this
/// process holds "sched-lock" for T seconds. Reports when the unmarked tests were done, against the ideal U*d/P, and
/// how soon after the release the marked tests started. Times come from the suite's journal (Stopwatch timestamps,
/// CLOCK_MONOTONIC, comparable across processes); the origin is the first test event of the run (a test starting, or
/// a marked test starting to wait), so the test process's start-up is not counted.
/// </summary>
internal static class Scheduling
{
    private const int Slots = 2, Unmarked = 8;

    public static int Run(string label, string holdSeconds, string workMs, string[] command)
    {
        var dir = Directory.CreateTempSubdirectory("testlocks-sched-").FullName;
        var journal = Path.Combine(dir, "journal");
        var locks = new LockFactory(new TestLocksSettings { LockPath = dir });
        var held = locks.CreateLock("sched-lock", new LockOptions { Owner = "bench holder" }).Acquire();
        var hold = TimeSpan.FromSeconds(double.Parse(holdSeconds, CultureInfo.InvariantCulture));
        var work = TimeSpan.FromMilliseconds(int.Parse(workMs, CultureInfo.InvariantCulture));

        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("TESTLOCKS_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        start.Environment["TESTLOCKS_LOCK_PATH"] = dir;
        start.Environment["TESTLOCKS_NO_TERMINAL"] = "1";
        start.Environment["BENCH_JOURNAL"] = journal;
        start.Environment["BENCH_D_MS"] = workMs;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();

        // Hold for T from the first test event (a marked test waiting, or any test starting), as a holder elsewhere would.
        while (!File.Exists(journal) || File.ReadAllLines(journal).Length == 0)
        {
            if (process.HasExited) { Console.Error.WriteLine(output.Result + errors.Result); return 1; }
            Thread.Sleep(5);
        }
        Thread.Sleep(hold);
        var released = Stopwatch.GetTimestamp();
        held.Dispose();
        process.WaitForExit();
        if (process.ExitCode != 0) { Console.Error.WriteLine($"{label}: the test process failed ({process.ExitCode}):\n{output.Result}\n{errors.Result}"); return 1; }

        var events = File.ReadAllLines(journal).Select(l => l.Split(' ', 4)).Select(p => (At: long.Parse(p[0], CultureInfo.InvariantCulture), What: p[1], Kind: p[2], Name: p[3])).ToList();
        var origin = events.Min(e => e.At);
        double Seconds(long at) => Stopwatch.GetElapsedTime(origin, at).TotalSeconds;
        var unmarkedDone = Seconds(events.Where(e => e is { What: "end", Kind: "unmarked" }).Max(e => e.At));
        var ideal = Unmarked * work.TotalSeconds / Slots;
        var markedStarts = events.Where(e => e is { What: "start", Kind: "marked" }).Select(e => Stopwatch.GetElapsedTime(released, e.At).TotalMilliseconds).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sched {label}: unmarked done {unmarkedDone:0.00} s (ideal U*d/P {ideal:0.00} s, {unmarkedDone / ideal:0.00}x); marked started {string.Join(" / ", markedStarts.Select(m => m.ToString("0.0", CultureInfo.InvariantCulture)))} ms after the release (T {hold.TotalSeconds:0} s)"));
        Directory.Delete(dir, recursive: true);
        return 0;
    }
}
