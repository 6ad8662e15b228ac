using TestLocks.Platform;

namespace TestLocks.Files;

/// <summary>
/// A blocking lock request (<see cref="LockFile.Lock"/> with wait) on a thread of its own (<see cref="KernelWaitThreads"/>), so that the kernel wakes the waiter the moment the lock is released
/// (no polling) while the caller can still give up on a timeout or cancellation. A wait the caller gave up on stays
/// blocked in the kernel; if it later gets the lock, it releases it at once and closes its descriptor.
/// </summary>
internal sealed class KernelLockWait
{
    private const int Waiting = 0, Finished = 1, Abandoned = 2;

    private readonly LockFile _file;
    private readonly LockMode _mode;
    // Continuations run inline on the waiting thread: the kernel wakes this thread, and it goes straight on into the
    // acquirer's code, with no thread-pool hop on the handoff path. The thread has a normal stack for that reason.
    private readonly TaskCompletionSource<PlatformError> _result = new();
    private int _state;

    private KernelLockWait(LockFile file, LockMode mode)
    {
        _file = file;
        _mode = mode;
    }

    /// <summary>Completes with <see cref="PlatformError.None"/> once the lock is held, or with the error of a failed wait.</summary>
    public Task<PlatformError> Result => _result.Task;

    /// <summary>Starts waiting for <paramref name="mode"/> on <paramref name="file"/> on a waiting thread of its own.</summary>
    public static KernelLockWait Start(LockFile file, LockMode mode)
    {
        var wait = new KernelLockWait(file, mode);
        KernelWaitThreads.Run(wait.Run);
        return wait;
    }

    internal void Run()
    {
        var outcome = _file.Lock(_mode, wait: true);
        if (Interlocked.CompareExchange(ref _state, Finished, Waiting) == Waiting)
        {
            _result.SetResult(outcome);
            return;
        }
        // The caller gave up: this thread owns the file now.
        if (outcome.IsNone) _file.Unlock();
        _file.Dispose();
    }

    /// <summary>
    /// Gives up the wait. Returns true when the waiting thread now owns (and will close) the descriptor; false when
    /// the wait had already finished, in which case <see cref="Result"/> is complete and the caller still owns it.
    /// </summary>
    public bool Abandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Waiting;
}
