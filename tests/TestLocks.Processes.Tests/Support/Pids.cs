using System.Runtime.InteropServices;

namespace TestLocks.Processes.Tests.Support;

/// <summary>Facts about other processes, read from the kernel: whether one has exited, which group it leads.</summary>
internal static partial class Pids
{
    private const int PidfdOpen = 434; // the same syscall number on x86-64 and arm64
    private const short PollIn = 1;

    /// <summary>
    /// Waits until process <paramref name="pid"/> has exited (a zombie counts as exited), using a pidfd the kernel
    /// makes readable at exit. Returns false if it still runs after <paramref name="limit"/>.
    /// </summary>
    public static bool WaitForExit(int pid, TimeSpan limit)
    {
        var fd = (int)Syscall(PidfdOpen, pid, 0);
        if (fd < 0) return true; // ESRCH: already gone and reaped
        try
        {
            var poll = new PollFd { Fd = fd, Events = PollIn };
            return Poll(ref poll, 1, (int)limit.TotalMilliseconds) == 1;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "poll")]
    private static partial int Poll(ref PollFd fds, ulong count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
