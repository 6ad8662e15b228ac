using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace TestLocks.RaceProbe;

/// <summary>
/// A resource that notices when two processes use it at once: a user leaves a marker file in <c>$RACE_DIR</c> while it
/// works, and looks for another process's marker when it starts and when it ends. Each process counts what it saw in
/// <c>overlaps-PID.txt</c>; the harness adds them up. The processes start together: each waits at start-up (at most a
/// minute), before any test takes a lock, until <c>$RACE_PROCESSES</c> of them have announced themselves.
/// </summary>
internal static class SharedResource
{
    private static string Dir => Environment.GetEnvironmentVariable("RACE_DIR") ?? throw new InvalidOperationException("RACE_DIR is not set");
    private static int s_overlaps;

    public static void Use(int round)
    {
        var marker = Path.Combine(Dir, $"inside-{Environment.ProcessId}-{round}");
        File.WriteAllText(marker, "");
        var seen = OthersInside();
        Thread.Sleep(150); // the work: keeps the resource busy, as a real test would
        seen |= OthersInside();
        File.Delete(marker);
        if (seen) s_overlaps++;
        File.WriteAllText(Path.Combine(Dir, $"overlaps-{Environment.ProcessId}.txt"), s_overlaps.ToString(CultureInfo.InvariantCulture));
    }

    private static bool OthersInside()
    {
        var mine = $"inside-{Environment.ProcessId}-";
        return Directory.EnumerateFiles(Dir, "inside-*").Any(f => !Path.GetFileName(f).StartsWith(mine, StringComparison.Ordinal));
    }

    [ModuleInitializer]
#pragma warning disable CA2255 // the probe's processes meet before the test runner starts (and before any lock is taken)
    internal static void StartTogether()
#pragma warning restore CA2255
    {
        if (Environment.GetEnvironmentVariable("RACE_DIR") is null) return; // discovery tools, not a probe run
        var expected = int.Parse(Environment.GetEnvironmentVariable("RACE_PROCESSES") ?? "2", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(Dir, $"ready-{Environment.ProcessId}"), "");
        var clock = Stopwatch.StartNew();
        while (Directory.EnumerateFiles(Dir, "ready-*").Count() < expected)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException($"fewer than {expected} race probes started within a minute");
            Thread.Sleep(10);
        }
    }
}
