using System.Runtime.Versioning;
using System.Runtime.InteropServices;

namespace TestLocks.Platform.Linux;

/// <summary>
/// Linux: lock files locked with open file description locks (F_OFD_SETLK / F_OFD_SETLKW) on the whole file. They
/// conflict with the classic POSIX locks Python's fasteners takes with lockf, so TestLocks and oslo processes exclude
/// each other on the same file; they belong to the open file, so closing another descriptor of the same file never
/// drops them; the kernel wakes a waiter the moment the holder releases or dies.
/// The lock is bytes [0, 2^62) and the writers' turnstile the byte at 2^62: Python's lockf locks from its file position
/// (the file's size, since oslo opens for append) to the end and beyond, so it overlaps both, and a TestLocks lock still
/// excludes it whatever the file's size.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class OfdLockFiles : LockFilePlatform
{
    public override string Name => "Linux open file description locks";

    public override LockFile? TryOpen(string path, bool create, out PlatformError error)
    {
        var flags = LinuxNative.O_RDWR | LinuxNative.O_CLOEXEC | LinuxNative.O_NOFOLLOW | (create ? LinuxNative.O_CREAT : 0);
        var fd = LinuxNative.Open(path, flags, 0x1A4 /* 0644 */);
        if (fd < 0)
        {
            error = Error(Marshal.GetLastPInvokeError());
            return null;
        }
        if (!LinuxNative.TryFstat(fd, out var id))
        {
            error = Error(Marshal.GetLastPInvokeError());
            LinuxNative.Close(fd);
            return null;
        }
        error = PlatformError.None;
        return new OfdLockFile(fd, id, path);
    }

    public override WaitInterrupter? Interrupter => LinuxWaitInterrupter.Instance;

    public override PlatformError CreateDirectory(string path, int mode)
        => LinuxNative.Mkdir(path, mode) == 0 ? PlatformError.None : Error(Marshal.GetLastPInvokeError());

    public override bool IsProcessAlive(int pid)
        => pid > 0 && (LinuxNative.Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != LinuxNative.ESRCH);

    public override string? CommandLineOf(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return raw.Length == 0 ? null : raw.Length > 120 ? raw[..120] + "..." : raw;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    internal static PlatformError Error(int errno) => new(errno switch
    {
        LinuxNative.ENOENT => PlatformErrorKind.NotFound,
        LinuxNative.EACCES or LinuxNative.EPERM => PlatformErrorKind.AccessDenied,
        LinuxNative.EROFS => PlatformErrorKind.ReadOnly,
        LinuxNative.ELOOP => PlatformErrorKind.IsLink,
        LinuxNative.EISDIR => PlatformErrorKind.IsDirectory,
        LinuxNative.ENOTDIR or LinuxNative.EEXIST => PlatformErrorKind.NotDirectory,
        _ => PlatformErrorKind.Other,
    }, errno, LinuxNative.Describe(errno));

    private const long TurnstileByte = 1L << 62;

    private sealed class OfdLockFile(int fd, LinuxNative.FileId id, string path) : LockFile
    {
        private readonly byte[] _path = LinuxNative.Utf8Path(path); // encoded once: every acquire checks the path
        private int _fd = fd;

        public override PlatformError Lock(LockMode mode, bool wait) => SetLock(mode, wait, 0, TurnstileByte);

        public override bool Unlock() => LinuxNative.SetLock(_fd, LinuxNative.F_UNLCK, wait: false, 0, TurnstileByte) == 0;

        public override PlatformError LockTurnstile(LockMode mode, bool wait) => SetLock(mode, wait, TurnstileByte, 1);

        public override void UnlockTurnstile() => LinuxNative.SetLock(_fd, LinuxNative.F_UNLCK, wait: false, TurnstileByte, 1);

        public override bool TurnstileMayBeHeld() =>
            !LinuxNative.TryGetConflict(_fd, LinuxNative.F_RDLCK, out var type, out _, TurnstileByte, 1) || type != LinuxNative.F_UNLCK;

        public override PlatformError LockUntilStopped(LockMode mode, bool turnstile, Func<bool> stop)
            => turnstile ? SetLock(mode, wait: true, TurnstileByte, 1, stop) : SetLock(mode, wait: true, 0, TurnstileByte, stop);

        private PlatformError SetLock(LockMode mode, bool wait, long start, long length, Func<bool>? stop = null)
        {
            var errno = LinuxNative.SetLock(_fd, mode == LockMode.Read ? LinuxNative.F_RDLCK : LinuxNative.F_WRLCK, wait, start, length, stop);
            if (errno == 0) return PlatformError.None;
            if (errno == LinuxNative.EINTR) return PlatformError.Interrupted; // only when stop said so
            if (!wait && errno is LinuxNative.EAGAIN or LinuxNative.EACCES) return PlatformError.Busy;
            return Error(errno);
        }

        public override bool IsNamedBy(string path)
            => LinuxNative.TryStat(string.Equals(path, _pathText, StringComparison.Ordinal) ? _path : LinuxNative.Utf8Path(path), out var named, out _) && named == id;

        private readonly string _pathText = path;

        public override LockConflict? GetConflict()
        {
            if (!LinuxNative.TryGetConflict(_fd, LinuxNative.F_WRLCK, out var type, out var pid, 0, TurnstileByte) || type == LinuxNative.F_UNLCK) return null;
            // pid is -1 for an OFD lock (another TestLocks process), the holder's pid for a classic POSIX lock.
            return new LockConflict(type == LinuxNative.F_RDLCK ? LockMode.Read : LockMode.Write, pid > 0 ? pid : null);
        }

        public override bool? IsLockedByProcess(int pid)
        {
            // /proc/PID/fdinfo/FD lists the locks held through each open file: "lock:\t1: OFDLCK ADVISORY WRITE -1 fe:00:1234 0 EOF".
            var needle = Needle;
            try
            {
                foreach (var info in Directory.EnumerateFiles($"/proc/{pid}/fdinfo"))
                {
                    string text;
                    try { text = File.ReadAllText(info); }
                    catch (IOException) { continue; } // closed meanwhile
                    foreach (var line in text.AsSpan().EnumerateLines())
                    {
                        if (line.StartsWith("lock:", StringComparison.Ordinal) && line.Contains(needle, StringComparison.Ordinal)) return true;
                    }
                }
                return false;
            }
            catch (DirectoryNotFoundException) { return false; } // the process is gone
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        }

        private string Needle => $" {id.DeviceMajor:x2}:{id.DeviceMinor:x2}:{id.Inode} ";

        public override int? FindLockingProcess()
        {
            // The last one found, if it still holds (a waiter's notices come every warn_after): one process's fdinfo.
            if (s_lastFound is { } last && last.Id == id && IsLockedByProcess(last.Pid) == true) return last.Pid;
            // Else the processes that have this file open (/proc/PID/fd/N links to it), then their fdinfo, own process
            // last (this file's own descriptor holds nothing).
            var self = Environment.ProcessId;
            IEnumerable<string> processes;
            try { processes = Directory.EnumerateDirectories("/proc"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
            foreach (var dir in processes)
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == self) continue;
                if (HasOpen(dir) && IsLockedByProcess(pid) == true)
                {
                    s_lastFound = (id, pid);
                    return pid;
                }
            }
            return IsLockedByProcess(self) == true ? self : null;
        }

        /// <summary>Whether the process of <paramref name="dir"/> (/proc/PID) has this file open.</summary>
        private bool HasOpen(string dir)
        {
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    if (LinuxNative.TryStat(LinuxNative.Utf8Path(fd), out var other, out _) && other == id) return true;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // gone, or another user's
            return false;
        }

        private static (LinuxNative.FileId Id, int Pid)? s_lastFound;

        public override unsafe bool WriteRecord(ReadOnlySpan<byte> record, int at = 0)
        {
            fixed (byte* p = record) return LinuxNative.Pwrite(_fd, p, record.Length, at) == record.Length;
        }

        public override unsafe int ReadRecord(Span<byte> buffer, int at = 0)
        {
            nint n;
            fixed (byte* p = buffer) n = LinuxNative.Pread(_fd, p, buffer.Length, at);
            return n > 0 ? (int)n : 0;
        }

        public override void Dispose()
        {
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0) LinuxNative.Close(fd);
        }
    }
}
