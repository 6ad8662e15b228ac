using System.Runtime.InteropServices;
using TestLocks.Backends;
using TestLocks.Diagnostics;
using TestLocks.Platform;

namespace TestLocks.Files;

/// <summary>
/// Locks as files in one lock_path, taken with Linux open file description locks (F_OFD_SETLK / F_OFD_SETLKW).
/// They conflict with the classic POSIX locks Python's fasteners takes with lockf, so TestLocks and oslo processes
/// exclude each other on the same file; they belong to the open file, so closing another descriptor of the same
/// file never drops them; the kernel wakes a waiter the moment the holder releases or dies.
/// </summary>
internal sealed class FileLockBackend : LockBackend
{
    private readonly string _origin;
    private readonly int _directoryMode;
    private volatile bool _directoryReady;

    /// <param name="lockPath">The directory that holds the lock files.</param>
    /// <param name="origin">The setting that gave <paramref name="lockPath"/>, named in errors.</param>
    /// <param name="directoryMode">Permissions for directories created on first use.</param>
    public FileLockBackend(string lockPath, string origin, int directoryMode = 0x1FF /* 0777, less the umask */)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException(
                $"TestLocks' file locks support Linux only for now (this is {RuntimeInformation.OSDescription}). " +
                "Windows (LockFileEx) and macOS are planned; meanwhile set [oslo_concurrency] disable_process_locking = true " +
                "for in-process locks only, or use a server backend (backend_url = postgresql://... or redis://...).");
        }
        LockPath = lockPath;
        _origin = origin;
        _directoryMode = directoryMode;
    }

    /// <summary>The directory that holds the lock files.</summary>
    public string LockPath { get; }

    public override string Describe(string key) => PathOf(key);

    private string PathOf(string key) => Path.Join(LockPath, key);

    public override BackendLock? TryAcquire(string key, LockMode mode, TimeSpan timeout, LockHolder self, CancellationToken cancellationToken)
        => Sync.Wait(Acquire(key, mode, timeout, self, synchronous: true, cancellationToken));

    public override ValueTask<BackendLock?> TryAcquireAsync(string key, LockMode mode, TimeSpan timeout, LockHolder self, CancellationToken cancellationToken)
        => Acquire(key, mode, timeout, self, synchronous: false, cancellationToken);

    private async ValueTask<BackendLock?> Acquire(string key, LockMode mode, TimeSpan timeout, LockHolder self, bool synchronous, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var type = mode == LockMode.Read ? LinuxNative.F_RDLCK : LinuxNative.F_WRLCK;
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = LockFileCache.Take(path) ?? OpenLockFile(path);
            var fd = file.Fd;
            var errno = LinuxNative.SetLock(fd, type, wait: false);
            if (errno is LinuxNative.EAGAIN or LinuxNative.EACCES)
            {
                var remaining = deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
                if (remaining == TimeSpan.Zero)
                {
                    LockFileCache.Return(path, file);
                    return null;
                }
                errno = synchronous && remaining == Timeout.InfiniteTimeSpan && !cancellationToken.CanBeCanceled
                    ? LinuxNative.SetLock(fd, type, wait: true)
                    : await WaitInKernel(fd, type, remaining, synchronous, cancellationToken).ConfigureAwait(false);
                if (errno == -1) return null; // timed out; the abandoned wait closes fd
            }
            if (errno != 0)
            {
                LinuxNative.Close(fd);
                throw new TestLocksException($"Locking '{path}' failed: {LinuxNative.Describe(errno)}. " +
                    $"lock_path is set by {_origin}; make sure it is on a local filesystem that supports POSIX locks.");
            }
            if (file.IsNamedBy(path))
            {
                HolderRecord.Write(fd, self);
                return new FileLock(file, path);
            }
            // The file was deleted or replaced while we waited: our lock is on an orphan inode. Try again on the new file.
            LinuxNative.SetLock(fd, LinuxNative.F_UNLCK, wait: false);
            LinuxNative.Close(fd);
        }
    }

    /// <summary>Waits on another thread. Returns the errno (0: locked) or -1 when the time ran out first.</summary>
    private static async ValueTask<int> WaitInKernel(int fd, short type, TimeSpan remaining, bool synchronous, CancellationToken cancellationToken)
    {
        var wait = KernelLockWait.Start(fd, type);
        try
        {
            if (synchronous)
            {
                if (wait.Result.Wait(remaining, cancellationToken)) return wait.Result.Result;
            }
            else
            {
                await wait.Result.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
                return wait.Result.Result;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            if (wait.Abandon())
            {
                if (e is OperationCanceledException) throw;
                return -1;
            }
            // The lock arrived at the same moment the caller gave up.
            var errno = wait.Result.Result;
            if (e is TimeoutException) return errno;
            if (errno == 0) LinuxNative.SetLock(fd, LinuxNative.F_UNLCK, wait: false);
            LinuxNative.Close(fd);
            throw;
        }
        if (wait.Abandon()) return -1;
        return wait.Result.Result;
    }

    private OpenFile OpenLockFile(string path)
    {
        var fd = OpenDescriptor(path);
        if (LinuxNative.TryFstat(fd, out var id)) return new OpenFile(fd, id);
        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        LinuxNative.Close(fd);
        throw new LockPathException(path, $"Cannot inspect lock file '{path}': {LinuxNative.Describe(errno)}.");
    }

    private int OpenDescriptor(string path)
    {
        if (!_directoryReady)
        {
            LockDirectory.Ensure(LockPath, _origin, _directoryMode);
            _directoryReady = true;
        }
        var flags = LinuxNative.O_RDWR | LinuxNative.O_CREAT | LinuxNative.O_CLOEXEC | LinuxNative.O_NOFOLLOW;
        var fd = LinuxNative.Open(path, flags, 0x1A4 /* 0644 */);
        if (fd >= 0) return fd;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == LinuxNative.ENOENT)
        {
            // lock_path was removed after first use: create it again.
            LockDirectory.Ensure(LockPath, _origin, _directoryMode);
            fd = LinuxNative.Open(path, flags, 0x1A4);
            if (fd >= 0) return fd;
            errno = Marshal.GetLastPInvokeError();
        }
        throw OpenFailure(path, errno);
    }

    private LockPathException OpenFailure(string path, int errno) => errno switch
    {
        LinuxNative.ELOOP => new LockPathException(path,
            $"Lock file '{path}' is a symbolic link; TestLocks does not follow links in lock_path, since a link could point the lock " +
            $"anywhere. Remove the link (lock_path is set by {_origin})."),
        LinuxNative.EACCES or LinuxNative.EPERM or LinuxNative.EROFS => new LockPathException(path,
            $"Cannot open lock file '{path}' for reading and writing: {LinuxNative.Describe(errno)}. lock_path '{LockPath}' is set by {_origin}. " +
            $"Fix: give your user write access to '{LockPath}' and its lock files (they are created 0644 by whoever takes the lock first), " +
            "or point lock_path to a directory of your own."),
        LinuxNative.EISDIR => new LockPathException(path,
            $"Lock file '{path}' is a directory. Remove it, or choose another lock name (lock_path is set by {_origin})."),
        _ => new LockPathException(path,
            $"Cannot open lock file '{path}': {LinuxNative.Describe(errno)}. lock_path '{LockPath}' is set by {_origin}."),
    };

    public override ValueTask<LockHolder?> GetHolderAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(GetHolder(PathOf(key)));

    private static LockHolder? GetHolder(string path)
    {
        var fd = LinuxNative.Open(path, LinuxNative.O_RDWR | LinuxNative.O_CLOEXEC | LinuxNative.O_NOFOLLOW, 0);
        if (fd < 0) return null;
        try
        {
            if (!LinuxNative.TryGetConflict(fd, LinuxNative.F_WRLCK, out var type, out var pid) || type == LinuxNative.F_UNLCK) return null;
            var mode = type == LinuxNative.F_RDLCK ? LockMode.Read : LockMode.Write;
            if (pid > 0)
            {
                // A classic POSIX lock: another program, most likely Python's oslo.concurrency or fasteners.
                return new LockHolder(pid, ThisProcess.Host, CommandLineOf(pid), null, mode, "not a TestLocks process; a classic POSIX lock, such as Python oslo/fasteners");
            }
            var record = HolderRecord.Read(fd);
            if (record is not null && record.Host == ThisProcess.Host && record.ProcessId is { } p && Directory.Exists($"/proc/{p}"))
            {
                return record with { Mode = mode };
            }
            return new LockHolder(null, null, null, null, mode, "the holder left no TestLocks record");
        }
        finally
        {
            LinuxNative.Close(fd);
        }
    }

    private static string? CommandLineOf(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return raw.Length == 0 ? null : raw.Length > 120 ? raw[..120] + "..." : raw;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public override bool Remove(string key)
    {
        var path = PathOf(key);
        LockFileCache.Forget(path);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    /// <summary>A held lock file. Releasing unlocks and closes it; the file stays, on purpose (see oslo's admin guide).</summary>
    private sealed class FileLock(OpenFile file, string path) : BackendLock
    {
        private OpenFile? _file = file;

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _file, null) is not { } file) return;
            if (LinuxNative.SetLock(file.Fd, LinuxNative.F_UNLCK, wait: false) == 0)
            {
                LockFileCache.Return(path, file); // unlocked: safe to reuse
            }
            else
            {
                file.Close(); // closing drops the lock in any case
            }
        }
    }
}
