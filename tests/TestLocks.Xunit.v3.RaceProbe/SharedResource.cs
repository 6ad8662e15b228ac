using System.Diagnostics;
using System.Globalization;

namespace TestLocks.RaceProbe;

/// <summary>
/// A resource that notices when two processes use it at once: a user leaves a marker file in <c>$RACE_DIR</c> while it
/// works, and looks for another process's marker when it starts and when it ends. Each process counts what it saw in
/// <c>overlaps-PID.txt</c>; the harness adds them up. The processes start together: each waits (at most a minute)
/// until <c>$RACE_PROCESSES</c> of them have announced themselves.
/// </summary>
internal static class SharedResource
{
    private static readonly string s_dir = Environment.GetEnvironmentVariable("RACE_DIR") ?? throw new InvalidOperationException("RACE_DIR is not set");
    private static readonly Lazy<bool> s_started = new(StartTogether);
    private static int s_overlaps;

    public static void Use(int round)
    {
        _ = s_started.Value;
        var marker = Path.Combine(s_dir, $"inside-{Environment.ProcessId}-{round}");
        File.WriteAllText(marker, "");
        var seen = OthersInside();
        Thread.Sleep(150); // the work: keeps the resource busy, as a real test would
        seen |= OthersInside();
        File.Delete(marker);
        if (seen) s_overlaps++;
        File.WriteAllText(Path.Combine(s_dir, $"overlaps-{Environment.ProcessId}.txt"), s_overlaps.ToString(CultureInfo.InvariantCulture));
    }

    private static bool OthersInside()
    {
        var mine = $"inside-{Environment.ProcessId}-";
        return Directory.EnumerateFiles(s_dir, "inside-*").Any(f => !Path.GetFileName(f).StartsWith(mine, StringComparison.Ordinal));
    }

    private static bool StartTogether()
    {
        var expected = int.Parse(Environment.GetEnvironmentVariable("RACE_PROCESSES") ?? "2", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(s_dir, $"ready-{Environment.ProcessId}"), "");
        var clock = Stopwatch.StartNew();
        while (Directory.EnumerateFiles(s_dir, "ready-*").Count() < expected)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException($"fewer than {expected} race probes started within a minute");
            Thread.Sleep(10);
        }
        return true;
    }
}
