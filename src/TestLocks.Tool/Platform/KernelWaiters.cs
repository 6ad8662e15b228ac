using TestLocks.Tool.Platform.Linux;

namespace TestLocks.Tool.Platform;

/// <summary>Waiters blocked in the kernel, per lock file: on Linux from <c>/proc/locks</c> (<see cref="ProcLocks"/>);
/// elsewhere nothing is known.</summary>
internal sealed class KernelWaiters
{
    private readonly Dictionary<(uint Major, uint Minor, ulong Inode), int>? _blocked;

    private KernelWaiters(Dictionary<(uint, uint, ulong), int>? blocked) => _blocked = blocked;

    /// <summary>Reads what the kernel says once.</summary>
    public static KernelWaiters Read() => new(OperatingSystem.IsLinux() ? ProcLocks.BlockedWaiters() : null);

    /// <summary>How many waiters are blocked on <paramref name="path"/>; null when this OS does not say.</summary>
    public int? On(string path)
    {
        if (_blocked is null || !OperatingSystem.IsLinux()) return null;
        if (!FileIdentity.TryGet(path, out var id)) return null;
        return _blocked.GetValueOrDefault(id);
    }
}
