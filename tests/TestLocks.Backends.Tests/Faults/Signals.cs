using System.Runtime.InteropServices;

namespace TestLocks.Backends.Tests.Faults;

/// <summary>SIGSTOP and SIGCONT for a holder process.</summary>
internal static class Signals
{
    public static void Stop(int pid) => Send(pid, 19);

    public static void Continue(int pid) => Send(pid, 18);

    private static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
