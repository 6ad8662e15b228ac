using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace TestLocks.Platform.Unix;

/// <summary>
/// macOS (which has no public open file description locks before macOS 14): lock files locked with flock on the whole
/// file. On macOS flock and fcntl locks share one lock list per file and conflict, so a flock holder excludes Python's
/// fasteners/oslo, which lock with lockf (fcntl). On Linux they do not: there this strategy, forced with
/// TESTLOCKS_LOCK_STRATEGY=flock to test it, does not exclude Python. flock locks belong to the open file (so closing
/// another descriptor never drops them) and a blocking flock is woken by the kernel when the holder releases or dies.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed class FlockLockFiles : LockFilePlatform
{
    public override string Name => "flock";

    public override LockFile? TryOpen(string path, bool create, out PlatformError error)
    {
        var flags = UnixNative.O_RDWR | UnixNative.O_CLOEXEC | UnixNative.O_NOFOLLOW | (create ? UnixNative.O_CREAT : 0);
        var fd = UnixNative.Open(path, flags, 0x1A4 /* 0644 */);
        if (fd < 0)
        {
            error = Error(Marshal.GetLastPInvokeError());
            return null;
        }
        if (!UnixNative.TryFstat(fd, out var id))
        {
            error = Error(Marshal.GetLastPInvokeError());
            UnixNative.Close(fd);
            return null;
        }
        error = PlatformError.None;
        return new FlockLockFile(fd, id);
    }

    public override PlatformError CreateDirectory(string path, int mode)
        => UnixNative.Mkdir(path, mode) == 0 ? PlatformError.None : Error(Marshal.GetLastPInvokeError());

    public override bool IsProcessAlive(int pid)
        => pid > 0 && (UnixNative.Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != UnixNative.ESRCH);

    public override string? CommandLineOf(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.ProcessName;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    internal static PlatformError Error(int errno)
    {
        var kind = errno switch
        {
            UnixNative.ENOENT => PlatformErrorKind.NotFound,
            UnixNative.EACCES or UnixNative.EPERM => PlatformErrorKind.AccessDenied,
            UnixNative.EROFS => PlatformErrorKind.ReadOnly,
            UnixNative.EISDIR => PlatformErrorKind.IsDirectory,
            UnixNative.ENOTDIR or UnixNative.EEXIST => PlatformErrorKind.NotDirectory,
            _ when errno == UnixNative.ELOOP => PlatformErrorKind.IsLink,
            _ => PlatformErrorKind.Other,
        };
        return new PlatformError(kind, errno, UnixNative.Describe(errno));
    }

    private sealed class FlockLockFile(int fd, UnixNative.FileId id) : LockFile
    {
        private int _fd = fd;
        private LockMode? _held;

        public override PlatformError Lock(LockMode mode, bool wait)
        {
            var errno = UnixNative.SetFlock(_fd, (mode == LockMode.Read ? UnixNative.LOCK_SH : UnixNative.LOCK_EX) | (wait ? 0 : UnixNative.LOCK_NB));
            if (errno == 0)
            {
                _held = mode;
                return PlatformError.None;
            }
            return !wait && errno == UnixNative.EAGAIN ? PlatformError.Busy : Error(errno);
        }

        public override bool Unlock()
        {
            var held = _held;
            _held = null;
            if (UnixNative.SetFlock(_fd, UnixNative.LOCK_UN) != 0) return false;
            if (held == LockMode.Read && UnixNative.SetFlock(_fd, UnixNative.LOCK_EX | UnixNative.LOCK_NB) == 0)
            {
                // The last reader: flock cannot tell other readers from this one while it holds its shared lock, so the
                // engine left the record to them (GetConflict); now nobody holds it, and the record is blanked.
                ClearRecord();
                UnixNative.SetFlock(_fd, UnixNative.LOCK_UN);
            }
            return true;
        }

        public override bool IsNamedBy(string path) => UnixNative.TryStat(path, out var named) && named == id;

        public override LockConflict? GetConflict()
        {
            switch (_held)
            {
                case LockMode.Write: return null;
                case LockMode.Read: return new LockConflict(LockMode.Read, null); // other readers may hold it: flock cannot tell
            }
            // flock has no query: probe with locks that are dropped at once.
            if (UnixNative.SetFlock(_fd, UnixNative.LOCK_EX | UnixNative.LOCK_NB) == 0)
            {
                UnixNative.SetFlock(_fd, UnixNative.LOCK_UN);
                return null;
            }
            if (UnixNative.SetFlock(_fd, UnixNative.LOCK_SH | UnixNative.LOCK_NB) == 0)
            {
                UnixNative.SetFlock(_fd, UnixNative.LOCK_UN);
                return new LockConflict(LockMode.Read, null);
            }
            return new LockConflict(LockMode.Write, null);
        }

        /// <summary>flock does not say which process holds a lock.</summary>
        public override bool? IsLockedByProcess(int pid) => null;

        public override unsafe bool WriteRecord(ReadOnlySpan<byte> record, int at = 0)
        {
            fixed (byte* p = record) return UnixNative.Pwrite(_fd, p, record.Length, at) == record.Length;
        }

        public override unsafe int ReadRecord(Span<byte> buffer, int at = 0)
        {
            nint n;
            fixed (byte* p = buffer) n = UnixNative.Pread(_fd, p, buffer.Length, at);
            return n > 0 ? (int)n : 0;
        }

        public override void Dispose()
        {
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0) UnixNative.Close(fd);
        }
    }
}
