using System.Runtime.InteropServices;

namespace TestLocks.Tool.Platform.Unix;

/// <summary>Signals and the terminal on Linux and macOS: <c>kill</c>, <c>tcgetpgrp</c>, <c>getpgrp</c>.</summary>
internal static partial class UnixProcess
{
    /// <summary>The C library's text for <paramref name="errno"/>, e.g. "No such file or directory".</summary>
    public static string ErrorMessage(int errno) => System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>Sends <paramref name="signal"/> to the process <paramref name="pid"/>; one that has ended is fine.</summary>
    public static void Signal(int pid, int signal) => _ = Kill(pid, signal);

    /// <summary>Sends <paramref name="signal"/> to every process of the group <paramref name="group"/>.</summary>
    public static void SignalGroup(int group, int signal) => _ = Kill(-group, signal);

    /// <summary>Whether this process's group is the foreground group of the terminal on stdin.</summary>
    public static bool InTerminalForeground()
    {
        try
        {
            if (!Console.IsInputRedirected)
            {
                var foreground = Tcgetpgrp(0);
                return foreground > 0 && foreground == Getpgrp();
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        return false;
    }

    [LibraryImport("libc", EntryPoint = "tcgetpgrp")]
    private static partial int Tcgetpgrp(int fd);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getpgrp")]
    private static partial int Getpgrp();
}
