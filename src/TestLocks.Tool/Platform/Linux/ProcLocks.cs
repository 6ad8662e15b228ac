using System.Globalization;
using System.Runtime.Versioning;

namespace TestLocks.Tool.Platform.Linux;

/// <summary>Linux's <c>/proc/locks</c>: its "-&gt;" lines are the waiters blocked in the kernel (a TestLocks waiter in
/// <c>F_OFD_SETLKW</c>, a Python one in <c>lockf</c>), each naming the file it waits on by device and inode.</summary>
[SupportedOSPlatform("linux")]
internal static class ProcLocks
{
    private const string Path = "/proc/locks";

    /// <summary>How many waiters are blocked on each file (device major, minor, inode); null when there is no /proc/locks.</summary>
    public static Dictionary<(uint Major, uint Minor, ulong Inode), int>? BlockedWaiters()
    {
        if (!File.Exists(Path)) return null;
        var blocked = new Dictionary<(uint, uint, ulong), int>();
        foreach (var line in File.ReadLines(Path))
        {
            // "1: -> OFDLCK ADVISORY WRITE -1 fd:01:123 0 EOF": major:minor (hex) and the inode.
            if (!line.Contains("->", StringComparison.Ordinal)) continue;
            var id = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(f => f.Count(c => c == ':') == 2);
            var parts = id?.Split(':');
            if (parts is null
                || !uint.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var major)
                || !uint.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var minor)
                || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var inode)) continue;
            blocked[(major, minor, inode)] = blocked.GetValueOrDefault((major, minor, inode)) + 1;
        }
        return blocked;
    }
}
