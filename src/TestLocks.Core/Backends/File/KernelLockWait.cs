using TestLocks.Platform;

namespace TestLocks.Backends.File;

/// <summary>
/// A blocking lock request (<see cref="LockFile.Lock"/> with wait) on a thread of its own (<see cref="KernelWaitThreads"/>),
/// so that the kernel wakes the waiter the moment the lock is released (no polling) while the caller can still give up
/// on a timeout or cancellation. A blocked kernel wait cannot be called off, so a wait the caller gave up on stays
/// blocked, parked under its path and mode: the next acquirer of the same lock file in this process adopts it instead
/// of starting another, which bounds the waits (threads and open files) to the acquirers waiting at one time, however
/// many attempts were abandoned. A parked wait that gets the lock before anyone adopts it releases it at once and
/// closes its file. Where the platform can call a blocked wait off (<see cref="WaitInterrupter"/>: Linux), an abandoned
/// wait is also interrupted: it leaves the kernel's queue at once instead of winning, later, a lock nobody wants any
/// more ahead of the live waiters (a counted lock abandons every slot wait but the one it won). Until its thread has
/// left the kernel it stays parked and can still be adopted; adopted, it simply waits again.
/// </summary>
internal sealed class KernelLockWait
{
    private const int Waiting = 0, Finished = 1, Abandoned = 2;
    // Where the waiting thread is, for the interrupter: a signal may be sent only while it is InKernel, and the thread
    // leaves only once a signal being sent (Interrupting) has been sent (Sent), so no signal reaches it later.
    private const int Outside = 0, InKernel = 1, Interrupting = 2, Sent = 3;

    private static readonly Dictionary<(string Path, LockMode Mode, bool Turnstile), List<KernelLockWait>> s_parked = new();

    private readonly string _path;
    private readonly LockMode _mode;
    private readonly bool _turnstile;
    // Continuations run inline on the waiting thread: the kernel wakes this thread, and it goes straight on into the
    // acquirer's code, with no thread-pool hop on the handoff path. The thread has a normal stack for that reason.
    private readonly TaskCompletionSource<PlatformError> _result = new();
    private int _state;
    private readonly WaitInterrupter? _interrupter = LockFilePlatform.Current.Interrupter;
    private readonly Func<bool> _stop;
    private long _thread;
    private int _kernel;

    private KernelLockWait(LockFile file, string path, LockMode mode, bool turnstile)
    {
        File = file;
        _path = path;
        _mode = mode;
        _turnstile = turnstile;
        _stop = () => Volatile.Read(ref _state) == Abandoned;
    }

    private (string, LockMode, bool) Key => (_path, _mode, _turnstile);

    /// <summary>The file this wait locks; the caller owns it once the wait has finished and not been abandoned.</summary>
    public LockFile File { get; }

    /// <summary>Completes with <see cref="PlatformError.None"/> once the lock is held, or with the error of a failed wait.</summary>
    public Task<PlatformError> Result => _result.Task;

    /// <summary>How many abandoned waits are parked now (for tests).</summary>
    internal static int ParkedCount
    {
        get { lock (s_parked) return s_parked.Values.Sum(l => l.Count); }
    }

    /// <summary>Adopts a parked wait for <paramref name="path"/>, <paramref name="mode"/> and the lock or its
    /// <paramref name="turnstile"/>, or starts waiting with
    /// <paramref name="file"/>. When a parked wait is adopted (<paramref name="adopted"/>), <paramref name="file"/> is
    /// not used: the caller keeps it.</summary>
    public static KernelLockWait Start(LockFile file, string path, LockMode mode, bool turnstile, out bool adopted)
    {
        if (TryAdopt((path, mode, turnstile)) is { } parked)
        {
            adopted = true;
            return parked;
        }
        adopted = false;
        var wait = new KernelLockWait(file, path, mode, turnstile);
        KernelWaitThreads.Run(wait.Run); // throws (out of threads) before the wait owns the file: the caller still does
        return wait;
    }

    private static KernelLockWait? TryAdopt((string, LockMode, bool) key)
    {
        lock (s_parked)
        {
            if (!s_parked.TryGetValue(key, out var list)) return null;
            while (list.Count > 0)
            {
                var wait = list[^1];
                list.RemoveAt(list.Count - 1);
                if (Interlocked.CompareExchange(ref wait._state, Waiting, Abandoned) == Abandoned)
                {
                    if (list.Count == 0) s_parked.Remove(key);
                    return wait;
                }
            }
            s_parked.Remove(key);
            return null;
        }
    }

    internal void Run()
    {
        var outcome = LockInKernel();
        while (true)
        {
            if (outcome.Kind == PlatformErrorKind.Interrupted)
            {
                if (Interlocked.CompareExchange(ref _state, Finished, Abandoned) == Abandoned)
                {
                    // Called off, without the lock: the file goes back for the next acquirer of this lock.
                    Unpark();
                    LockFileCache.Return(_path, File);
                    return;
                }
                // Adopted after it was called off: wait again.
                outcome = LockInKernel();
                continue;
            }
            if (Interlocked.CompareExchange(ref _state, Finished, Waiting) == Waiting)
            {
                _result.SetResult(outcome);
                return;
            }
            if (Interlocked.CompareExchange(ref _state, Finished, Abandoned) == Abandoned)
            {
                // Nobody wants it: release at once, and this thread closes the file.
                Unpark();
                if (outcome.IsNone && _turnstile) File.UnlockTurnstile();
                else if (outcome.IsNone) File.Unlock();
                File.Dispose();
                return;
            }
            // Adopted at this very moment: the state is Waiting again; go round.
        }
    }

    /// <summary>
    /// Gives up the wait. Returns true when the wait is parked (it owns its file now, for a later acquirer to adopt);
    /// false when the wait had already finished, in which case <see cref="Result"/> is complete and the caller still
    /// owns the file.
    /// </summary>
    public bool Abandon()
    {
        if (Interlocked.CompareExchange(ref _state, Abandoned, Waiting) != Waiting) return false;
        lock (s_parked)
        {
            if (Volatile.Read(ref _state) != Abandoned) return true; // finished meanwhile and closed its file
            if (!s_parked.TryGetValue(Key, out var list)) s_parked[Key] = list = [];
            list.Add(this);
        }
        Interrupt(TimeSpan.FromMilliseconds(10));
        return true;
    }

    /// <summary>Blocks for the lock (or turnstile); where the platform can interrupt, as a wait another thread can call off.</summary>
    private PlatformError LockInKernel()
    {
        if (_interrupter is null) return _turnstile ? File.LockTurnstile(_mode, wait: true) : File.Lock(_mode, wait: true);
        _thread = _interrupter.CurrentThread();
        Interlocked.Exchange(ref _kernel, InKernel);
        // Abandoned before it blocked: Abandon saw it outside the kernel and sent nothing.
        var outcome = _stop() ? PlatformError.Interrupted : File.LockUntilStopped(_mode, _turnstile, _stop);
        while (true)
        {
            var where = Volatile.Read(ref _kernel);
            if (where == InKernel && Interlocked.CompareExchange(ref _kernel, Outside, InKernel) == InKernel) return outcome;
            if (where == Sent && Interlocked.CompareExchange(ref _kernel, Outside, Sent) == Sent)
            {
                _interrupter.TakePending();
                return outcome;
            }
            Thread.Yield(); // a signal is being sent to this thread: wait until it is out
        }
    }

    /// <summary>Sends the waiting thread an interruption if it is blocked in the kernel. A signal that arrives in the
    /// instant between the thread's last look at the state and its blocking call is lost, so while the wait stays
    /// abandoned and in the kernel the interruption is sent again, after <paramref name="after"/>, twice as long each
    /// time (at most a second).</summary>
    private void Interrupt(TimeSpan after)
    {
        if (_interrupter is null || Volatile.Read(ref _state) != Abandoned) return;
        var where = Volatile.Read(ref _kernel);
        if (where is not (InKernel or Sent) || Interlocked.CompareExchange(ref _kernel, Interrupting, where) != where) return;
        var sent = _interrupter.Interrupt(_thread);
        Volatile.Write(ref _kernel, Sent);
        if (!sent) return;
        var next = after * 2 < TimeSpan.FromSeconds(1) ? after * 2 : TimeSpan.FromSeconds(1);
        _ = Task.Delay(after).ContinueWith(static (_, state) => { var (wait, next) = ((KernelLockWait, TimeSpan))state!; wait.Interrupt(next); },
            (this, next), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Unpark()
    {
        lock (s_parked)
        {
            if (s_parked.TryGetValue(Key, out var list) && list.Remove(this) && list.Count == 0) s_parked.Remove(Key);
        }
    }
}
