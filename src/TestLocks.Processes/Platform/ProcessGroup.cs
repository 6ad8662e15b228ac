using TestLocks.Processes.Platform.Linux;

namespace TestLocks.Processes.Platform;

/// <summary>
/// Kills a whole process group. On Linux each command is started through <c>setsid</c>, so its process id is also the id
/// of a new process group that holds everything it starts (a shell's children and grandchildren) unless they leave it.
/// Elsewhere a command leads no group of its own, and nothing is done.
/// </summary>
internal static class ProcessGroup
{
    /// <summary>Sends SIGKILL to every process in the group (on Linux); a group that is already gone is fine.</summary>
    public static void Kill(int processGroupId)
    {
        if (processGroupId <= 1 || !OperatingSystem.IsLinux()) return;
        LinuxProcessGroup.Kill(processGroupId);
    }
}
