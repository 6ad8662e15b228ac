using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using TestLocks.Platform.Linux;

namespace TestLocks.Platform.Unix;

/// <summary>
/// The libc calls of the flock strategy, for macOS and (forced, for tests) Linux. Flags and error numbers
/// differ between them, so they are values chosen once for the OS this runs on, not constants.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal static unsafe partial class UnixNative
{
    private const string Libc = "libc";
    private const string LibSystem = "/usr/lib/libSystem.dylib";

    public const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EACCES = 13, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EROFS = 30;

    private static readonly bool s_linux = OperatingSystem.IsLinux();
    private static readonly bool s_macOS = OperatingSystem.IsMacOS();

    public static readonly int O_RDWR = 2;
    public static readonly int O_CREAT = s_linux ? 0x40 : 0x200;
    public static readonly int O_CLOEXEC = s_linux ? 0x80000 : 0x1000000;
    public static readonly int O_NOFOLLOW = s_linux
        ? RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000
        : 0x100;
    public static readonly int EAGAIN = s_linux ? 11 : 35;
    public static readonly int ELOOP = s_linux ? 40 : 62;

    [LibraryImport(Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport(Libc, EntryPoint = "pwrite", SetLastError = true)]
    public static partial nint Pwrite(int fd, byte* buf, nint count, long offset);

    [LibraryImport(Libc, EntryPoint = "pread", SetLastError = true)]
    public static partial nint Pread(int fd, byte* buf, nint count, long offset);

    [LibraryImport(Libc, EntryPoint = "mkdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Mkdir(string path, int mode);

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    public static partial uint Geteuid();

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    // macOS only (Linux uses statx through LinuxNative): x64 exports the 64-bit-inode stat under the $INODE64 names,
    // arm64 under the plain ones. Imported from libSystem, not "libc", so that no Linux build can bind them.
    [LibraryImport(LibSystem, EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, byte* buf);

    [LibraryImport(LibSystem, EntryPoint = "fstat", SetLastError = true)]
    private static partial int Fstat(int fd, byte* buf);

    [LibraryImport(LibSystem, EntryPoint = "stat$INODE64", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatInode64(string path, byte* buf);

    [LibraryImport(LibSystem, EntryPoint = "fstat$INODE64", SetLastError = true)]
    private static partial int FstatInode64(int fd, byte* buf);

    private static readonly bool s_inode64Names = s_macOS && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>Takes (<paramref name="operation"/> LOCK_SH or LOCK_EX, with LOCK_NB for a try) or drops (LOCK_UN) the
    /// file's flock. Returns 0 or the errno; retries when a signal interrupts a wait.</summary>
    public static int SetFlock(int fd, int operation)
    {
        while (true)
        {
            if (Flock(fd, operation) == 0) return 0;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR) return errno;
        }
    }

    /// <summary>The identity of a file: device and inode.</summary>
    public readonly record struct FileId(ulong Device, ulong Inode);

    public static bool TryFstat(int fd, out FileId id)
    {
        if (OperatingSystem.IsLinux())
        {
            var ok = LinuxNative.TryFstat(fd, out var linux);
            id = Of(linux);
            return ok;
        }
        byte* buf = stackalloc byte[512];
        var result = s_inode64Names ? FstatInode64(fd, buf) : Fstat(fd, buf);
        id = result == 0 ? Read(buf) : default;
        return result == 0;
    }

    public static bool TryStat(string path, out FileId id)
    {
        if (OperatingSystem.IsLinux())
        {
            var ok = LinuxNative.TryStat(LinuxNative.Utf8Path(path), out var linux, out _);
            id = Of(linux);
            return ok;
        }
        byte* buf = stackalloc byte[512];
        var result = s_inode64Names ? StatInode64(path, buf) : Stat(path, buf);
        id = result == 0 ? Read(buf) : default;
        return result == 0;
    }

    [SupportedOSPlatform("linux")]
    private static FileId Of(LinuxNative.FileId linux) => new(((ulong)linux.DeviceMajor << 32) | linux.DeviceMinor, linux.Inode);

    // struct stat (64-bit inodes) on macOS: { dev_t st_dev (int32); mode_t; nlink_t; ino_t st_ino at 8; ... }.
    private static FileId Read(byte* buf) => new(*(uint*)buf, *(ulong*)(buf + 8));

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
