using TestLocks.Backends;
using TestLocks.Diagnostics;
using TestLocks.Platform;
using TestLocks.Threading;

namespace TestLocks.Backends.File;

/// <summary>
/// Locks as files in one lock_path, locked through the platform seam (<see cref="LockFilePlatform"/>: Linux OFD locks,
/// which exclude Python oslo/fasteners processes on the same files). Waiters are woken by the kernel.
/// </summary>
internal sealed class FileLockBackend : LockBackend
{
    public override string Kind => "file";

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
        var deadline = Deadline.After(timeout);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = LockFileCache.Take(path) ?? OpenLockFile(path);
            if (mode == LockMode.Read && file.TurnstileMayBeHeld())
            {
                // Readers pass through the writers' turnstile, so a writer waiting for readers to leave is not overtaken
                // (when the kernel says nobody holds it, there is nothing to pass: a free turnstile taken and released at
                // once gives the same answer at that moment).
                var (passed, outcome) = await Wait(file, path, mode, turnstile: true, deadline, synchronous, cancellationToken).ConfigureAwait(false);
                if (passed is null) return null;
                file = passed;
                if (outcome.IsNone) file.UnlockTurnstile();
                else Fail(file, path, outcome);
            }
            var error = file.Lock(mode, wait: false);
            if (error.Kind == PlatformErrorKind.Busy && deadline.HasPassed)
            {
                // One try (a counted lock tries every slot this way): busy is the answer, with no second file for the
                // writers' turnstile and no second try behind it.
                LockFileCache.Return(path, file);
                return null;
            }
            if (error.Kind == PlatformErrorKind.Busy)
            {
                LockFile? turnstile = null;
                try
                {
                    if (mode == LockMode.Write)
                    {
                        // A waiting writer holds the turnstile (on a file of its own), which stops new readers.
                        var (held, outcome) = await Wait(OpenLockFile(path), path, mode, turnstile: true, deadline, synchronous, cancellationToken).ConfigureAwait(false);
                        if (held is null)
                        {
                            LockFileCache.Return(path, file);
                            return null;
                        }
                        turnstile = held;
                        if (!outcome.IsNone) Fail(file, path, outcome);
                    }
                    var (locked, result) = await Wait(file, path, mode, turnstile: false, deadline, synchronous, cancellationToken).ConfigureAwait(false);
                    if (locked is null) return null; // timed out; the wait is parked with its file
                    file = locked;
                    error = result;
                }
                finally
                {
                    if (turnstile is not null)
                    {
                        turnstile.UnlockTurnstile();
                        LockFileCache.Return(path, turnstile);
                    }
                }
            }
            if (!error.IsNone) Fail(file, path, error);
            try
            {
                if (file.IsNamedBy(path))
                {
                    var token = mode == LockMode.Write ? FencingCounter.Next(file) : null;
                    HolderRecord.Write(file, self, token);
                    return new FileLock(file, path, mode, token);
                }
            }
            catch
            {
                file.Unlock();
                file.Dispose();
                throw;
            }
            // The file was deleted or replaced while we waited: our lock is on an orphan inode. Try again on the new file.
            file.Unlock();
            file.Dispose();
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(LockFile file, string path, PlatformError error)
    {
        file.Dispose();
        throw new TestLocksException($"Locking '{path}' failed: {error}. " +
            $"lock_path is set by {_origin}; make sure it is on a local filesystem that supports POSIX locks.");
    }

    /// <summary>Takes the lock (or the turnstile) of <paramref name="file"/>, waiting until <paramref name="deadline"/>.
    /// Returns the file that holds it, which is another one when a parked wait was adopted (the given file then went
    /// back to the cache), and the outcome; or a null file when the time ran out.</summary>
    private static async ValueTask<(LockFile? File, PlatformError Outcome)> Wait(LockFile file, string path, LockMode mode, bool turnstile,
        Deadline deadline, bool synchronous, CancellationToken cancellationToken)
    {
        var error = turnstile ? file.LockTurnstile(mode, wait: false) : file.Lock(mode, wait: false);
        if (error.Kind != PlatformErrorKind.Busy) return (file, error);
        if (deadline.HasPassed)
        {
            LockFileCache.Return(path, file);
            return (null, default);
        }
        if (synchronous && deadline.IsUnlimited && !cancellationToken.CanBeCanceled)
        {
            return (file, turnstile ? file.LockTurnstile(mode, wait: true) : file.Lock(mode, wait: true));
        }
        return await WaitInKernel(file, path, mode, turnstile, deadline, synchronous, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits on a waiting thread (or adopts a parked wait on the same file). Returns the file that waited and
    /// the outcome, or a null file when the time ran out first. Any failure while waiting abandons the wait.</summary>
    private static async ValueTask<(LockFile? File, PlatformError Outcome)> WaitInKernel(LockFile file, string path, LockMode mode, bool turnstile,
        Deadline deadline, bool synchronous, CancellationToken cancellationToken)
    {
        KernelLockWait wait;
        try
        {
            wait = KernelLockWait.Start(file, path, mode, turnstile, out var adopted);
            if (adopted) LockFileCache.Return(path, file); // the parked wait has a file of its own
        }
        catch
        {
            file.Dispose();
            throw;
        }
        try
        {
            while (true)
            {
                var remaining = deadline.Remaining;
                if (remaining == TimeSpan.Zero) break;
                if (synchronous)
                {
                    if (wait.Result.Wait(remaining, cancellationToken)) return (wait.File, wait.Result.Result);
                }
                else
                {
                    try
                    {
                        await wait.Result.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
                        return (wait.File, wait.Result.Result);
                    }
                    catch (TimeoutException) { }
                }
                // A timer can fire a little early: go round until the deadline has really passed.
            }
        }
        catch when (!wait.Abandon())
        {
            // The lock arrived at the same moment the caller gave up: give it back.
            if (wait.Result.Result.IsNone)
            {
                if (turnstile) wait.File.UnlockTurnstile(); else wait.File.Unlock();
            }
            wait.File.Dispose();
            throw;
        }
        if (wait.Abandon()) return (null, default);
        return (wait.File, wait.Result.Result);
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
        // The kernel says who holds the lock; the record says who wrote it last. Use it only when the two agree.
        var record = HolderRecord.Read(file);
        if (record is { ProcessId: { } p } && record.Host == ThisProcess.Host && _platform.IsProcessAlive(p) && file.IsLockedByProcess(p) != false)
        {
            return record with { Mode = conflict.Mode };
        }
        // No record names a holder (readers overlapped: the last to write its record has left): ask the kernel.
        if (file.FindLockingProcess() is { } found)
        {
            return new LockHolder(found, ThisProcess.Host, _platform.CommandLineOf(found), null, conflict.Mode,
                conflict.Mode == LockMode.Read ? "one of its readers; the record was written by a reader that has left" : "its TestLocks record is gone");
        }
        return new LockHolder(null, null, null, null, conflict.Mode, "the holder left no TestLocks record");
    }

    public override bool Remove(string key)
    {
        var path = PathOf(key);
        LockFileCache.Forget(path);
        if (!System.IO.File.Exists(path)) return false;
        System.IO.File.Delete(path);
        LockFileCache.ForgetWhenReturned(path); // the caller holds it (RemoveExternalLockFile): close it on release
        return true;
    }

    /// <summary>A held lock file. Releasing blanks the holder record when this is the last holder, then unlocks; the
    /// file stays, on purpose (see oslo's admin guide), and so does its fencing counter.</summary>
    private sealed class FileLock(LockFile file, string path, LockMode mode, long? token) : BackendLock
    {
        private LockFile? _file = file;

        /// <summary>The write lock's fencing token (<see cref="FencingCounter"/>); null for a read lock.</summary>
        public override long? FencingToken => token;

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _file, null) is not { } file) return;
            // A reader leaves the record to the readers still holding (the kernel shows them as conflicts).
            if (mode == LockMode.Write || file.GetConflict() is null) HolderRecord.Clear(file);
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
