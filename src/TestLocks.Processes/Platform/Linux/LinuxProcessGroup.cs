using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace TestLocks.Processes.Platform.Linux;

/// <summary>Signals a whole process group with <c>kill(-group, SIGKILL)</c>.</summary>
[SupportedOSPlatform("linux")]
internal static partial class LinuxProcessGroup
{
    private const int SigKill = 9;

    /// <summary>Sends SIGKILL to every process in the group; a group that is already gone is fine.</summary>
    public static void Kill(int processGroupId) => _ = NativeKill(-processGroupId, SigKill);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);
}
