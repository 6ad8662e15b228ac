using System.Runtime.ExceptionServices;

namespace TestLocks.Threading;

/// <summary>
/// Work an acquire leaves to its blocked synchronous caller, to run on the caller's thread once it has its result. The
/// result of a contended acquire is completed by the thread the kernel woke (a lock-file wait's thread), which then wakes
/// the caller: work that wakes still other threads (releasing a lock another process waits for, cancelling waits that
/// lost) is put after the caller's wake-up instead of in front of it, where on a busy machine every thread woken first
/// is scheduling delay for the caller (a pool's member stands idle meanwhile). Work given after <see cref="Run"/> has
/// run, runs at once.
/// </summary>
internal sealed class AfterResume
{
    private readonly object _gate = new();
    private List<Action>? _work;
    private bool _resumed;

    /// <summary>Runs <paramref name="work"/> now when there is no synchronous caller to wait for (<paramref name="later"/>
    /// is null: an asynchronous caller's continuation runs on the completing thread anyway), else after its resumption.</summary>
    public static void Do(AfterResume? later, Action work)
    {
        if (later is null || !later.TryAdd(work)) work();
    }

    private bool TryAdd(Action work)
    {
        lock (_gate)
        {
            if (_resumed) return false;
            (_work ??= []).Add(work);
            return true;
        }
    }

    /// <summary>Runs the work left so far, in order, on the calling (resumed) thread; work that throws does not stop the
    /// rest, and the first failure is thrown at the end.</summary>
    public void Run()
    {
        List<Action>? work;
        lock (_gate)
        {
            _resumed = true;
            work = _work;
            _work = null;
        }
        if (work is null) return;
        Exception? failure = null;
        foreach (var action in work)
        {
            try
            {
                action();
            }
#pragma warning disable CA1031 // every piece of work runs; the first failure is thrown after the rest
            catch (Exception e)
            {
                failure ??= e;
            }
#pragma warning restore CA1031
        }
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }
}
