using System.Runtime.InteropServices;

namespace TestLocks.Processes.Execution;

/// <summary>
/// Kills a whole process group. Each command is started through <c>setsid</c>, so its process id is also the id of a
/// new process group that holds everything it starts (a shell's children and grandchildren) unless they leave it.
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>Sends SIGKILL to every process in the group; a group that is already gone is fine.</summary>
    public static void Kill(int processGroupId)
    {
        if (processGroupId <= 1 || !OperatingSystem.IsLinux()) return;
        _ = NativeKill(-processGroupId, SigKill);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);
}
