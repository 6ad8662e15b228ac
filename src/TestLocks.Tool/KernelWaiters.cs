using System.Globalization;
using TestLocks.Platform.Linux;

namespace TestLocks.Tool;

/// <summary>Waiters blocked in the kernel, per file, from Linux's <c>/proc/locks</c> (its "-&gt;" lines: a TestLocks
/// waiter in <c>F_OFD_SETLKW</c>, a Python one in <c>lockf</c>). Elsewhere nothing is known.</summary>
internal sealed class KernelWaiters
{
    private readonly Dictionary<(uint Major, uint Minor, ulong Inode), int>? _blocked;

    private KernelWaiters(Dictionary<(uint, uint, ulong), int>? blocked) => _blocked = blocked;

    /// <summary>Reads /proc/locks once.</summary>
    public static KernelWaiters Read()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/locks")) return new KernelWaiters(null);
        var blocked = new Dictionary<(uint, uint, ulong), int>();
        foreach (var line in File.ReadLines("/proc/locks"))
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
        return new KernelWaiters(blocked);
    }

    /// <summary>How many waiters are blocked on <paramref name="path"/>; null when this OS does not say.</summary>
    public int? On(string path)
    {
        if (_blocked is null || !OperatingSystem.IsLinux()) return null;
        if (!LinuxNative.TryStat(LinuxNative.Utf8Path(path), out var id, out _)) return null;
        return _blocked.GetValueOrDefault((id.DeviceMajor, id.DeviceMinor, id.Inode));
    }
}
