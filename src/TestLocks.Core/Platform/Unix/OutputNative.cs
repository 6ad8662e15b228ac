using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace TestLocks.Platform.Unix;

/// <summary>
/// Non-blocking writes to a pipe or terminal of someone else's (a <c>dotnet test</c> command's output, the controlling
/// terminal), for the live wait lines: opened here with <c>O_NONBLOCK</c>, which is a flag of the open file description
/// this open creates (a path open of a pipe through <c>/proc/PID/fd/N</c>, or of <c>/dev/tty</c>, gives a new one), so
/// the other writers' descriptors stay as they were. Flags and error numbers differ between Linux and macOS.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal static unsafe partial class OutputNative
{
    private const string Libc = "libc";

    private static readonly bool s_linux = OperatingSystem.IsLinux();

    private const int O_WRONLY = 1;
    private static readonly int O_NONBLOCK = s_linux ? 0x800 : 0x4;
    private static readonly int O_NOCTTY = s_linux ? 0x100 : 0x20000;
    private static readonly int EAGAIN = s_linux ? 11 : 35;
    private const int EINTR = 4;
    private const short POLLOUT = 0x4;

    /// <summary>What a write did.</summary>
    public enum Result
    {
        /// <summary>Some or all of the bytes were written (see the count).</summary>
        Written,

        /// <summary>Nothing was written: the pipe is full or the terminal is stopped (Ctrl+S).</summary>
        WouldBlock,

        /// <summary>The reader is gone, or the descriptor failed: write no more.</summary>
        Gone,
    }

    /// <summary>Opens <paramref name="path"/> for non-blocking writes; -1 when it cannot be (no such file, a pipe with no
    /// reader, no controlling terminal). It never becomes this process's controlling terminal.</summary>
    public static int Open(string path) => OpenCall(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | UnixNative.O_CLOEXEC, 0);

    /// <summary>Writes what it can of <paramref name="bytes"/> now, without waiting.</summary>
    public static Result Write(int fd, ReadOnlySpan<byte> bytes, out int written)
    {
        written = 0;
        fixed (byte* p = bytes)
        {
            while (true)
            {
                var n = WriteCall(fd, p, bytes.Length);
                if (n >= 0)
                {
                    written = (int)n;
                    return Result.Written;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                return errno == EAGAIN ? Result.WouldBlock : Result.Gone; // EPIPE (SIGPIPE is ignored by .NET), EIO (hang-up), ...
            }
        }
    }

    /// <summary>Waits up to <paramref name="milliseconds"/> (-1: without end) until <paramref name="fd"/> takes bytes
    /// again or fails; false when the time is up.</summary>
    public static bool WaitWritable(int fd, int milliseconds)
    {
        var poll = new PollFd { Fd = fd, Events = POLLOUT };
        var result = PollCall(&poll, 1, milliseconds);
        return result != 0; // ready, failed (POLLERR, POLLHUP: the next write says so), or interrupted (try the write)
    }

    public static void Close(int fd) => _ = CloseCall(fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenCall(string path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteCall(int fd, byte* buffer, nint count);

    // nfds_t is unsigned long on Linux and unsigned int on macOS: passed in a register either way.
    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    private static partial int PollCall(PollFd* fds, nuint count, int timeout);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    private static partial int CloseCall(int fd);
}
