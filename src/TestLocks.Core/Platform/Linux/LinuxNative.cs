using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace TestLocks.Platform.Linux;

/// <summary>
/// The few libc calls the Linux platform needs. Lock files are opened here, never through FileStream or
/// File.OpenHandle: those take a BSD flock on the file, which TestLocks must not add. Every entry point here exists
/// in glibc 2.28 (RHEL 8, the oldest glibc .NET 10 supports): <c>stat</c> and <c>fstat</c> are exported only from
/// glibc 2.33, so file identity comes from <c>statx</c> (2.28); a test checks the set against libc's symbol versions.
/// </summary>
[SupportedOSPlatform("linux")]
internal static unsafe partial class LinuxNative
{
    private const string Libc = "libc";

    public const int O_RDWR = 0x2;
    public const int O_CREAT = 0x40;
    public const int O_CLOEXEC = 0x80000;
    public static readonly int O_NOFOLLOW = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    public const int F_OFD_GETLK = 36;
    public const int F_OFD_SETLK = 37;
    public const int F_OFD_SETLKW = 38;

    public const short F_RDLCK = 0;
    public const short F_WRLCK = 1;
    public const short F_UNLCK = 2;

    public const int EPERM = 1, ENOENT = 2, EINTR = 4, EAGAIN = 11, EACCES = 13, EEXIST = 17, ENOTDIR = 20,
        EISDIR = 21, ENOSPC = 28, EROFS = 30, ENAMETOOLONG = 36, ELOOP = 40, ESRCH = 3;

    /// <summary>struct flock on 64-bit Linux (x86_64 and arm64 share this layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Flock
    {
        public short l_type;
        public short l_whence;
        public long l_start;
        public long l_len;
        public int l_pid;
    }

    [LibraryImport(Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, Flock* flock);

    [LibraryImport(Libc, EntryPoint = "pwrite", SetLastError = true)]
    public static partial nint Pwrite(int fd, byte* buf, nint count, long offset);

    [LibraryImport(Libc, EntryPoint = "pread", SetLastError = true)]
    public static partial nint Pread(int fd, byte* buf, nint count, long offset);

    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* statxBuf);

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Libc, EntryPoint = "mkdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Mkdir(string path, int mode);

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    public static partial uint Geteuid();

    [LibraryImport(Libc, EntryPoint = "sigaction", SetLastError = true)]
    public static partial int Sigaction(int signal, byte* action, byte* oldAction);

    [LibraryImport(Libc, EntryPoint = "__libc_current_sigrtmin")]
    public static partial int CurrentSigRtMin();

    /// <summary>libc's syscall(2), for gettid and tgkill (their own wrappers are newer than glibc 2.28).</summary>
    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a, long b, long c);

    private const int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;
    private const uint STATX_INO = 0x100;

    /// <summary>The identity of a file: device and inode.</summary>
    public readonly record struct FileId(uint DeviceMajor, uint DeviceMinor, ulong Inode);

    /// <summary>The identity of the file open as <paramref name="fd"/>.</summary>
    public static bool TryFstat(int fd, out FileId id)
    {
        byte empty = 0;
        return TryStatx(fd, &empty, AT_EMPTY_PATH, out id, out _);
    }

    /// <summary>The identity of the file <paramref name="path"/> (NUL-terminated UTF-8) names, following links.</summary>
    public static bool TryStat(ReadOnlySpan<byte> path, out FileId id, out int errno)
    {
        fixed (byte* p = path) return TryStatx(AT_FDCWD, p, 0, out id, out errno);
    }

    /// <summary><paramref name="path"/> as NUL-terminated UTF-8, for the calls that take a path.</summary>
    public static byte[] Utf8Path(string path)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(path) + 1];
        System.Text.Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    private static bool TryStatx(int dirfd, byte* path, int flags, out FileId id, out int errno)
    {
        // struct statx: stx_ino at 32; stx_dev_major, stx_dev_minor at 136 and 140; 256 bytes in all.
        byte* buf = stackalloc byte[256];
        if (Statx(dirfd, path, flags, STATX_INO, buf) != 0) { id = default; errno = Marshal.GetLastPInvokeError(); return false; }
        id = new FileId(*(uint*)(buf + 136), *(uint*)(buf + 140), *(ulong*)(buf + 32));
        errno = 0;
        return true;
    }

    /// <summary>Sets or clears an open file description lock on bytes [start, start + length) (length 0: to the end and
    /// beyond). Returns 0 or the errno.</summary>
    public static int SetLock(int fd, short type, bool wait, long start = 0, long length = 0, Func<bool>? stop = null)
    {
        var fl = new Flock { l_type = type, l_whence = 0, l_start = start, l_len = length };
        while (true)
        {
            if (Fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl) == 0) return 0;
            var errno = Marshal.GetLastPInvokeError();
            // A wait interrupted on purpose (LinuxWaitInterrupter) ends with EINTR; any other signal waits again.
            if (errno != EINTR || (stop is not null && stop())) return errno;
        }
    }

    /// <summary>Asks the kernel who would block a lock of <paramref name="type"/>: the conflicting lock's type and pid
    /// (pid is -1 for open file description locks, the holder's pid for classic POSIX locks such as Python's lockf).</summary>
    public static bool TryGetConflict(int fd, short type, out short conflictType, out int pid, long start = 0, long length = 0)
    {
        var fl = new Flock { l_type = type, l_whence = 0, l_start = start, l_len = length };
        if (Fcntl(fd, F_OFD_GETLK, &fl) != 0) { conflictType = F_UNLCK; pid = 0; return false; }
        conflictType = fl.l_type;
        pid = fl.l_pid;
        return true;
    }

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
