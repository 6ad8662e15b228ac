using TestLocks.Backends;
using TestLocks.Diagnostics;
using TestLocks.Platform;

namespace TestLocks.Files;

/// <summary>
/// Locks as files in one lock_path, locked through the platform seam (<see cref="LockFilePlatform"/>: Linux OFD locks,
/// which exclude Python oslo/fasteners processes on the same files). Waiters are woken by the kernel.
/// </summary>
internal sealed class FileLockBackend : LockBackend
{
    private readonly LockFilePlatform _platform;
    private readonly string _origin;
    private readonly int _directoryMode;
    private volatile bool _directoryReady;

    /// <param name="lockPath">The directory that holds the lock files.</param>
    /// <param name="origin">The setting that gave <paramref name="lockPath"/>, named in errors.</param>
    /// <param name="directoryMode">Permissions for directories created on first use.</param>
    public FileLockBackend(string lockPath, string origin, int directoryMode = 0x1FF /* 0777, less the umask */)
    {
        _platform = LockFilePlatform.Current;
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
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = LockFileCache.Take(path) ?? OpenLockFile(path);
            var error = file.Lock(mode, wait: false);
            if (error.Kind == PlatformErrorKind.Busy)
            {
                var remaining = deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
                if (remaining == TimeSpan.Zero)
                {
                    LockFileCache.Return(path, file);
                    return null;
                }
                var waited = synchronous && remaining == Timeout.InfiniteTimeSpan && !cancellationToken.CanBeCanceled
                    ? file.Lock(mode, wait: true)
                    : await WaitInKernel(file, mode, remaining, synchronous, cancellationToken).ConfigureAwait(false);
                if (waited is not { } result) return null; // timed out; the abandoned wait closes the file
                error = result;
            }
            if (!error.IsNone)
            {
                file.Dispose();
                throw new TestLocksException($"Locking '{path}' failed: {error}. " +
                    $"lock_path is set by {_origin}; make sure it is on a local filesystem that supports POSIX locks.");
            }
            if (file.IsNamedBy(path))
            {
                HolderRecord.Write(file, self);
                return new FileLock(file, path);
            }
            // The file was deleted or replaced while we waited: our lock is on an orphan inode. Try again on the new file.
            file.Unlock();
            file.Dispose();
        }
    }

    /// <summary>Waits on another thread. Returns the outcome, or null when the time ran out first.</summary>
    private static async ValueTask<PlatformError?> WaitInKernel(LockFile file, LockMode mode, TimeSpan remaining, bool synchronous, CancellationToken cancellationToken)
    {
        var wait = KernelLockWait.Start(file, mode);
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
                return null;
            }
            // The lock arrived at the same moment the caller gave up.
            var outcome = wait.Result.Result;
            if (e is TimeoutException) return outcome;
            if (outcome.IsNone) file.Unlock();
            file.Dispose();
            throw;
        }
        if (wait.Abandon()) return null;
        return wait.Result.Result;
    }

    private LockFile OpenLockFile(string path)
    {
        if (!_directoryReady)
        {
            LockDirectory.Ensure(_platform, LockPath, _origin, _directoryMode);
            _directoryReady = true;
        }
        var file = _platform.TryOpen(path, create: true, out var error);
        if (file is null && error.Kind == PlatformErrorKind.NotFound)
        {
            // lock_path was removed after first use: create it again.
            LockDirectory.Ensure(_platform, LockPath, _origin, _directoryMode);
            file = _platform.TryOpen(path, create: true, out error);
        }
        return file ?? throw OpenFailure(path, error);
    }

    private LockPathException OpenFailure(string path, PlatformError error) => error.Kind switch
    {
        PlatformErrorKind.IsLink => new LockPathException(path,
            $"Lock file '{path}' is a symbolic link; TestLocks does not follow links in lock_path, since a link could point the lock " +
            $"anywhere. Remove the link (lock_path is set by {_origin})."),
        PlatformErrorKind.AccessDenied or PlatformErrorKind.ReadOnly => new LockPathException(path,
            $"Cannot open lock file '{path}' for reading and writing: {error}. lock_path '{LockPath}' is set by {_origin}. " +
            $"Fix: give your user write access to '{LockPath}' and its lock files (they are created 0644 by whoever takes the lock first), " +
            "or point lock_path to a directory of your own."),
        PlatformErrorKind.IsDirectory => new LockPathException(path,
            $"Lock file '{path}' is a directory. Remove it, or choose another lock name (lock_path is set by {_origin})."),
        _ => new LockPathException(path,
            $"Cannot open lock file '{path}': {error}. lock_path '{LockPath}' is set by {_origin}."),
    };

    public override ValueTask<LockHolder?> GetHolderAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(GetHolder(PathOf(key)));

    private LockHolder? GetHolder(string path)
    {
        using var file = _platform.TryOpen(path, create: false, out _);
        if (file?.GetConflict() is not { } conflict) return null;
        if (conflict.ProcessId is { } pid)
        {
            // A classic POSIX lock: another program, most likely Python's oslo.concurrency or fasteners.
            return new LockHolder(pid, ThisProcess.Host, _platform.CommandLineOf(pid), null, conflict.Mode, "not a TestLocks process; a classic POSIX lock, such as Python oslo/fasteners");
        }
        var record = HolderRecord.Read(file);
        if (record is not null && record.Host == ThisProcess.Host && record.ProcessId is { } p && _platform.IsProcessAlive(p))
        {
            return record with { Mode = conflict.Mode };
        }
        return new LockHolder(null, null, null, null, conflict.Mode, "the holder left no TestLocks record");
    }

    public override bool Remove(string key)
    {
        var path = PathOf(key);
        LockFileCache.Forget(path);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    /// <summary>A held lock file. Releasing unlocks it; the file stays, on purpose (see oslo's admin guide).</summary>
    private sealed class FileLock(LockFile file, string path) : BackendLock
    {
        private LockFile? _file = file;

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _file, null) is not { } file) return;
            if (file.Unlock())
            {
                LockFileCache.Return(path, file); // unlocked: safe to reuse
            }
            else
            {
                file.Dispose(); // closing drops the lock in any case
            }
        }
    }
}
