using System.Globalization;

namespace TestLocks.TestSupport.Processes;

/// <summary>
/// Reads /proc/locks, where the kernel lists every file lock and every blocked waiter ("-&gt;" lines), so a test can
/// know that a waiter really is blocked in the kernel before it acts.
/// </summary>
public static class ProcLocks
{
    /// <summary>Polls /proc/locks until <paramref name="expectedWaiters"/> waiters are blocked on <paramref name="file"/>.
    /// The kernel offers no event for this; each check is instant and the loop gives up after a generous limit.</summary>
    public static async Task WaitForBlockedAsync(string file, int expectedWaiters)
    {
        var inode = InodeOf(file);
        var deadline = DateTime.UtcNow + HelperProcess.LineLimit;
        while (CountBlocked(inode) < expectedWaiters)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no waiter blocked on {file} (inode {inode}) in /proc/locks:\n{File.ReadAllText("/proc/locks")}");
            await Task.Delay(5);
        }
    }

    /// <summary>Polls /proc/locks until no more than <paramref name="waiters"/> waiters are blocked on <paramref name="file"/>
    /// (a wait that was called off has left the kernel's queue), giving up after the same limit.</summary>
    public static async Task WaitForBlockedAtMostAsync(string file, int waiters)
    {
        var inode = InodeOf(file);
        var deadline = DateTime.UtcNow + HelperProcess.LineLimit;
        while (CountBlocked(inode) > waiters)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"still more than {waiters} waiters blocked on {file} (inode {inode}) in /proc/locks:\n{File.ReadAllText("/proc/locks")}");
            await Task.Delay(5);
        }
    }

    /// <summary>How many waiters are blocked on <paramref name="file"/> now.</summary>
    public static int CountBlocked(string file) => CountBlocked(InodeOf(file));

    private static int CountBlocked(ulong inode)
    {
        var count = 0;
        foreach (var line in File.ReadLines("/proc/locks"))
        {
            // "1: -> OFDLCK ADVISORY WRITE -1 fd:01:123 0 EOF" -- field 6 (or 7 after "->") is major:minor:inode
            if (!line.Contains("->", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var id = fields.FirstOrDefault(f => f.Count(c => c == ':') == 2);
            if (id is not null && ulong.Parse(id[(id.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture) == inode) count++;
        }
        return count;
    }

    private static ulong InodeOf(string file)
    {
        var output = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", file]) { RedirectStandardOutput = true })!;
        var text = output.StandardOutput.ReadToEnd();
        output.WaitForExit();
        return ulong.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }
}
