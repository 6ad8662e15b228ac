using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Execution;
using TestLocks.Testing;

namespace TestLocks.NUnit.Execution;

/// <summary>
/// The parallel slot of one NUnit worker while it runs a TestLocks test (the home test). NUnit's commands are
/// synchronous, so a test that waits for a lock blocks its worker thread; while it waits, a <see cref="StandIn"/> thread
/// takes the slot and runs work items from the same parallel queue, as another worker would. Once the home test holds its
/// locks it takes the slot back (after the stand-in's current item, ahead of anything else), and when it ends, its
/// worker stays busy until every item a stand-in started in its slot is done: NUnit ends a parallel shift (and may start
/// non-parallel tests) only once all its workers are idle, so nothing a stand-in runs overlaps a non-parallel test.
/// A test run by a stand-in that waits for a lock gives the slot on in the same way. So at most LevelOfParallelism
/// tests run at once, besides tests that wait for a lock.
/// </summary>
internal sealed class WorkerSlot
{
    private readonly object _gate = new();
    private readonly WorkItemQueue _queue;
    private readonly Queue<(object Executor, TaskCompletionSource Granted)> _claims = new();
    private readonly List<StandIn> _standIns = [];
    private object? _holder;
    private bool _homeWaiting;

    private WorkerSlot(WorkItemQueue queue)
    {
        _queue = queue;
        _holder = Home;
    }

    /// <summary>The home test's worker, as an executor of the slot.</summary>
    private static readonly object Home = new();

    /// <summary>The slot for a test that starts in <paramref name="context"/>: a new one on a parallel worker, the stand-in's
    /// on a stand-in thread; null elsewhere (non-parallel and STA workers, no worker): there the wait keeps the slot.</summary>
    public static Seat? SeatFor(TestExecutionContext context)
    {
        if (StandIn.Current is { } standIn) return new Seat(standIn.Slot, standIn, home: false);
        var queue = context.TestWorker?.WorkQueue;
        if (queue is null || !queue.IsParallelQueue || queue.TargetApartment == ApartmentState.STA) return null;
        return new Seat(new WorkerSlot(queue), Home, home: true);
    }

    /// <summary><paramref name="executor"/>'s test starts to wait: the slot goes to a claim, else (home waiting) to a stand-in.</summary>
    private void Leave(object executor, bool home)
    {
        lock (_gate)
        {
            if (home) _homeWaiting = true;
            if (!ReferenceEquals(_holder, executor)) return;
            _holder = null;
            PassOnLocked();
        }
    }

    /// <summary><paramref name="executor"/>'s test holds its locks: completes once it holds the slot again.</summary>
    private Task Return(object executor, bool home)
    {
        lock (_gate)
        {
            if (home) _homeWaiting = false;
            if (_claims.Count == 0 && (_holder is null || _holder is StandIn { IsPulling: true }))
            {
                _holder = executor; // a stand-in waiting for an item gives way: it puts back whatever it gets
                Monitor.PulseAll(_gate);
                return Task.CompletedTask;
            }
            var granted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _claims.Enqueue((executor, granted));
            return granted.Task;
        }
    }

    /// <summary>The slot is free: to the first claim, else to a new stand-in while the home test waits.</summary>
    private void PassOnLocked()
    {
        if (_claims.TryDequeue(out var claim))
        {
            _holder = claim.Executor;
            claim.Granted.SetResult();
        }
        else if (_homeWaiting)
        {
            var standIn = new StandIn(this);
            _standIns.Add(standIn);
            _holder = standIn;
            standIn.Start();
        }
        Monitor.PulseAll(_gate);
    }

    /// <summary>For a stand-in: whether it may take the next item (it holds the slot and the home test still waits).</summary>
    internal bool MayPull(StandIn standIn)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_holder, standIn) && _homeWaiting && _claims.Count == 0) return true;
            Leaving(standIn); // a test returning from its wait goes first
            return false;
        }
    }

    /// <summary>For a stand-in that dequeued <paramref name="item"/>: true to run it, false when it lost the slot meanwhile
    /// (then the item goes back to the queue) or the queue has stopped (null).</summary>
    internal bool MayRun(StandIn standIn, WorkItem? item)
    {
        lock (_gate)
        {
            if (item is not null && ReferenceEquals(_holder, standIn) && _homeWaiting)
            {
                standIn.IsPulling = false;
                return true;
            }
            Leaving(standIn);
        }
        if (item is not null) _queue.Enqueue(item);
        return false;
    }

    /// <summary>For a stand-in whose item is done: it pulls again (home still waiting, nobody claims), or leaves.</summary>
    internal void Ran(StandIn standIn)
    {
        lock (_gate)
        {
            standIn.IsPulling = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Leaving(StandIn standIn)
    {
        standIn.IsPulling = false;
        standIn.IsDone = true;
        _standIns.Remove(standIn);
        if (ReferenceEquals(_holder, standIn))
        {
            _holder = null;
            PassOnLocked();
        }
        Monitor.PulseAll(_gate);
    }

    internal WorkItem? Dequeue() => _queue.Dequeue();

    /// <summary>The home test has ended (its locks released): its worker waits until every item a stand-in started in this
    /// slot is done, lending the slot meanwhile to the tests there that return from a wait.</summary>
    private void EndHome()
    {
        lock (_gate)
        {
            _homeWaiting = false;
            if (ReferenceEquals(_holder, Home))
            {
                _holder = null;
                PassOnLocked();
            }
            while (_standIns.Exists(s => !s.IsPulling) || _claims.Count > 0) Monitor.Wait(_gate);
            if (_holder is StandIn { IsPulling: true }) _holder = null; // it puts back whatever it still gets
        }
    }

    /// <summary>One test's use of the slot: the engine's <see cref="RunnerSlot"/> for that test's flows.</summary>
    internal sealed class Seat(WorkerSlot slot, object executor, bool home) : RunnerSlot
    {
        private int _waits;

        public override void Leave()
        {
            if (Interlocked.Increment(ref _waits) == 1) slot.Leave(executor, home);
        }

        public override ValueTask ReturnAsync() =>
            Interlocked.Decrement(ref _waits) == 0 ? new ValueTask(slot.Return(executor, home)) : ValueTask.CompletedTask;

        /// <summary>The test has ended; for the home test, its worker waits for the stand-ins (see <see cref="EndHome"/>). That
        /// wait is neither the test's time nor its lock wait: the test's clock (its result's duration) leaves it out.</summary>
        public void End(TestExecutionContext context)
        {
            if (!home) return;
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            slot.EndHome();
            context.StartTicks += System.Diagnostics.Stopwatch.GetTimestamp() - start;
        }
    }
}
