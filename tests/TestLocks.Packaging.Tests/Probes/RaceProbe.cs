// Added to the new-user projects by TestLocks.Packaging.Tests (ShardTests): a race detector for tests that take the
// lock "race_probe". Each probe marks itself inside (a file in-<pid> under RACE_DIR), then waits for another test process
// to be inside too; it stops waiting when one is (an overlap, written to the journal), when another has already been
// and gone (a done-<pid> file), or after RACE_WAIT_SECONDS. With process locking the others cannot get in while it
// waits, so a locked run must journal no overlap; without it, processes started together must.
using System.Diagnostics;

internal static class RaceProbe
{
    public static void Run(string framework)
    {
        var dir = Environment.GetEnvironmentVariable("RACE_DIR") ?? throw new InvalidOperationException("RACE_DIR is not set");
        var wait = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("RACE_WAIT_SECONDS") ?? "8",
            System.Globalization.CultureInfo.InvariantCulture));
        var me = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var watcher = new FileSystemWatcher(dir) { EnableRaisingEvents = true };   // before looking: no event missed
        File.WriteAllText(Path.Combine(dir, $"in-{me}"), framework);
        Journal(dir, $"enter {me} {framework} {Stopwatch.GetTimestamp()}");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var inside = Others(dir, "in-", me);
            if (inside.Count > 0)
            {
                Journal(dir, $"overlap {me} {framework} with {string.Join(',', inside)}");
                break;
            }
            if (Others(dir, "done-", me).Count > 0 || deadline.Elapsed >= wait) break;
            watcher.WaitForChanged(WatcherChangeTypes.Created, wait - deadline.Elapsed);
        }
        Journal(dir, $"leave {me} {framework} {Stopwatch.GetTimestamp()}");
        File.WriteAllText(Path.Combine(dir, $"done-{me}"), framework);
        File.Delete(Path.Combine(dir, $"in-{me}"));
    }

    private static List<string> Others(string dir, string prefix, string me) =>
        Directory.GetFiles(dir, prefix + "*").Select(Path.GetFileName).Where(n => n != prefix + me).Select(n => n!).ToList();

    // A journal file per process: .NET's FileMode.Append seeks to the end rather than opening with O_APPEND, so two
    // processes appending to one file at once can write over each other's line (an "enter" was lost that way).
    private static void Journal(string dir, string line)
    {
        using var journal = new FileStream(Path.Combine(dir, $"journal.{Environment.ProcessId}"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        journal.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
    }
}
