using System.Runtime.ExceptionServices;

namespace TestLocks.Threading;

/// <summary>
/// Work an acquire leaves to its blocked synchronous caller, to run on the caller's thread once it has its result. The
/// result of a contended acquire is completed by the thread the kernel woke (a lock-file wait's thread), which then wakes
/// the caller: work that wakes still other threads (releasing a lock another process waits for, cancelling waits that
/// lost) is put after the caller's wake-up instead of in front of it, where on a busy machine every thread woken first
/// is scheduling delay for the caller (a pool's member stands idle meanwhile). Work given after <see cref="Run"/> has
/// run, runs at once. Work given on a thread that is completing a wait (<see cref="Completing"/>: a lock-file wait's
/// thread) runs on that thread once the completion has woken the caller, not on the caller: the caller returns at once
/// and the waking thread, which has nothing else to do, does the rest.
/// </summary>
internal sealed class AfterResume
{
    [ThreadStatic] private static bool t_completing;
    [ThreadStatic] private static List<Action>? t_deferred;
    [ThreadStatic] private static bool t_draining;

    private readonly object _gate = new();
    private List<Action>? _work;
    private bool _resumed;

    /// <summary>Runs <paramref name="work"/> now when there is no synchronous caller to wait for (<paramref name="later"/>
    /// is null: an asynchronous caller's continuation runs on the completing thread anyway), else after its resumption:
    /// on the thread completing the wait when there is one (<see cref="Completing"/>), else on the caller's.</summary>
    public static void Do(AfterResume? later, Action work)
    {
        if (later is not null && t_completing)
        {
            (t_deferred ??= []).Add(work);
            return;
        }
        if (later is null || !later.TryAdd(work)) work();
    }

    /// <summary>Whether this thread runs work left by a completion it made (<see cref="Completing"/>): it is not the
    /// caller's, and may do slow work inline.</summary>
    public static bool OffCaller => t_draining;

    /// <summary>Completes a wait with <paramref name="complete"/> (which runs the waiters' continuations inline and so
    /// wakes a blocked synchronous caller), then runs on this thread the work those continuations left for after the
    /// caller's resumption (<see cref="Do"/>). Failures of that work are dropped: it is clean-up the caller no longer
    /// waits for (releasing a lock it let go, cancelling waits that lost), and each piece handles its own.</summary>
    public static void Completing(Action complete)
    {
        if (t_completing)
        {
            complete();
            return;
        }
        t_completing = true;
        try
        {
            complete();
        }
        finally
        {
            t_completing = false;
            var deferred = t_deferred;
            t_deferred = null;
            if (deferred is not null)
            {
                t_draining = true;
                foreach (var action in deferred)
                {
                    try
                    {
                        action();
                    }
#pragma warning disable CA1031 // clean-up after the caller's wake-up: nobody is left to throw to
                    catch (Exception)
                    {
                    }
#pragma warning restore CA1031
                }
                t_draining = false;
            }
        }
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
