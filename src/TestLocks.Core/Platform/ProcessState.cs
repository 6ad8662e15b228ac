using System.Diagnostics;
using TestLocks.Platform.Linux;

namespace TestLocks.Platform;

/// <summary>How a process on this host is doing: alive or not, its state (Linux only) and the CPU time it has used.
/// On Linux from /proc (<see cref="ProcFs.ProcessState"/>); elsewhere from <see cref="Process"/>.</summary>
internal static class ProcessState
{
    /// <summary>What is known of process <paramref name="pid"/> now.</summary>
    public static (bool Alive, string? State, TimeSpan? Cpu) Read(int pid)
    {
        if (OperatingSystem.IsLinux()) return ProcFs.ProcessState(pid);
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? (false, null, null) : (true, null, process.TotalProcessorTime);
        }
#pragma warning disable CA1031 // diagnostics only: a process that cannot be looked at is reported as unknown
        catch (Exception e) when (e is ArgumentException)
        {
            return (false, null, null);
        }
        catch (Exception)
        {
            return (true, null, null);
        }
#pragma warning restore CA1031
    }
}
