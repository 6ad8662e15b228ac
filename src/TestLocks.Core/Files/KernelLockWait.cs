using TestLocks.Platform;

namespace TestLocks.Files;

/// <summary>
/// A blocking F_OFD_SETLKW on a thread of its own (<see cref="KernelWaitThreads"/>), so that the kernel wakes the waiter the moment the lock is released
/// (no polling) while the caller can still give up on a timeout or cancellation. A wait the caller gave up on stays
/// blocked in the kernel; if it later gets the lock, it releases it at once and closes its descriptor.
/// </summary>
internal sealed class KernelLockWait
{
    private const int Waiting = 0, Finished = 1, Abandoned = 2;

    private readonly int _fd;
    private readonly short _type;
    // Continuations run inline on the waiting thread: the kernel wakes this thread, and it goes straight on into the
    // acquirer's code, with no thread-pool hop on the handoff path. The thread has a normal stack for that reason.
    private readonly TaskCompletionSource<int> _result = new();
    private int _state;

    private KernelLockWait(int fd, short type)
    {
        _fd = fd;
        _type = type;
    }

    /// <summary>Completes with 0 once the lock is held, or with the errno of a failed wait.</summary>
    public Task<int> Result => _result.Task;

    /// <summary>Starts waiting for <paramref name="type"/> on <paramref name="fd"/> on a waiting thread of its own.</summary>
    public static KernelLockWait Start(int fd, short type)
    {
        var wait = new KernelLockWait(fd, type);
        KernelWaitThreads.Run(wait.Run);
        return wait;
    }

    internal void Run()
    {
        var errno = LinuxNative.SetLock(_fd, _type, wait: true);
        if (Interlocked.CompareExchange(ref _state, Finished, Waiting) == Waiting)
        {
            _result.SetResult(errno);
            return;
        }
        // The caller gave up: this thread owns the descriptor now.
        if (errno == 0) LinuxNative.SetLock(_fd, LinuxNative.F_UNLCK, wait: false);
        LinuxNative.Close(_fd);
    }

    /// <summary>
    /// Gives up the wait. Returns true when the waiting thread now owns (and will close) the descriptor; false when
    /// the wait had already finished, in which case <see cref="Result"/> is complete and the caller still owns it.
    /// </summary>
    public bool Abandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Waiting;
}
