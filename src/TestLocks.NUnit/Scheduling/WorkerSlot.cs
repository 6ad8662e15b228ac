using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Execution;
using TestLocks.Adapters;

namespace TestLocks.NUnit.Scheduling;

/// <summary>
/// The parallel slot of one NUnit worker while it runs a TestLocks test (the home test). NUnit's commands are
/// synchronous, so a test that waits for a lock blocks its worker thread; while it waits, a <see cref="StandIn"/> thread
/// runs work items from the same parallel queue in the slot, as another worker would.
/// <para>Nobody ever waits for the slot: a test whose wait ends (the home test, or a test a stand-in runs) goes on at
/// once, even while a stand-in's item still runs (an overdraft: two tests in one slot for a moment, counted by
/// RunnerSlot.Overdrafts), and no stand-in takes a new item while any test runs in the slot, so the
/// overdraft is paid back by the next test that ends. A test holding a lock therefore never waits for a runner resource.
/// </para>
/// <para>When the home test ends, its worker stays busy until every item a stand-in started in its slot is done and
/// every stand-in has ended: NUnit ends a parallel shift (and may start non-parallel tests) only once all its workers are
/// idle, so nothing a stand-in runs overlaps a non-parallel test, and no stand-in thread outlives its slot.</para>
/// </summary>
internal sealed class WorkerSlot : IDisposable
{
    private readonly object _gate = new();
    private readonly WorkItemQueue _queue;
    private readonly ManualResetEventSlim _wake = new();
    private readonly List<StandIn> _standIns = [];
    private readonly List<StandIn> _started = [];
    private StandIn? _puller;
    private int _running = 1; // tests that run in the slot and do not wait: the home test at first
    private int _waitingGuests; // tests a stand-in runs that wait now
    private bool _homeWaiting;

    private WorkerSlot(WorkItemQueue queue) => _queue = queue;

    /// <summary>The slot for a test that starts in <paramref name="context"/>: a new one on a parallel worker, the stand-in's
    /// on a stand-in thread; null elsewhere (non-parallel and STA workers, no worker): there the wait keeps the slot.</summary>
    /// <exception cref="TestLocksException">This NUnit's internals differ from the versions stand-ins support.</exception>
    public static Seat? SeatFor(TestExecutionContext context)
    {
        if (StandIn.Current is { } standIn) return new Seat(standIn.Slot, home: false);
        var queue = context.TestWorker?.WorkQueue;
        if (queue is null || !queue.IsParallelQueue || queue.TargetApartment == ApartmentState.STA) return null;
        if (QueueAccess.Problem is { } problem) throw new TestLocksException(problem);
        return new Seat(new WorkerSlot(queue), home: true);
    }

    /// <summary><see cref="SeatFor"/>, where an internal member it uses is missing from this NUnit (the JIT says so where
    /// it is called, here) said as a <see cref="TestLocksException"/> too.</summary>
    /// <exception cref="TestLocksException">This NUnit's internals differ from the versions stand-ins support.</exception>
    public static Seat? SeatOrExplain(TestExecutionContext context)
    {
        try
        {
            return SeatFor(context);
        }
        catch (Exception e) when (e is MissingMemberException or TypeLoadException)
        {
            throw new TestLocksException(
                $"TestLocks.NUnit cannot run on this NUnit ({typeof(TestExecutionContext).Assembly.GetName().Version}): an internal member it uses is missing "
                + $"({e.Message}). Use NUnit 4.6.1 to 5.x, and report the NUnit version to TestLocks.", e);
        }
    }

    /// <summary>A test of the slot starts to wait: the slot is lent to a stand-in once no test runs in it and the home test waits.</summary>
    private void LeaveLocked(bool home)
    {
        if (home) _homeWaiting = true;
        else _waitingGuests++;
        _running--;
        LendLocked();
    }

    /// <summary>A test of the slot is done waiting: it runs again at once, over the limit if a stand-in's item runs.</summary>
    /// <returns>How many tests run in the slot now, when that is over its one.</returns>
    private int? ReturnLocked(bool home)
    {
        if (home) _homeWaiting = false;
        else _waitingGuests--;
        _running++;
        _wake.Set(); // a stand-in waiting for an item takes none now
        return _running > 1 ? _running : null;
    }

    /// <summary>Whether the slot serves the queue while no test runs in it: its worker is blocked, by the home test's wait,
    /// or after the home test's end by a wait of a test a stand-in runs (as that worker would, were it free).</summary>
    private bool Lendable => _homeWaiting || _waitingGuests > 0;

    private void LendLocked()
    {
        if (!Lendable || _running > 0) return;
        if (_puller is not null)
        {
            _wake.Set();
            return;
        }
        var standIn = new StandIn(this);
        _standIns.Add(standIn);
        _started.Add(standIn);
        _puller = standIn;
        standIn.Start();
    }

    /// <summary>For a stand-in: the next item to run in the slot, once the queue has one; null when it may take none (a test
    /// of the slot runs, no test of the slot waits any more, the queue has stopped): then the stand-in has left.</summary>
    internal WorkItem? Next(StandIn standIn)
    {
        var added = QueueAccess.Added(_queue);
        while (true)
        {
            _wake.Reset();
            added.Reset(); // as NUnit's workers do before they wait; each checks the queue again after it
            lock (_gate)
            {
                if (!ReferenceEquals(_puller, standIn) || !Lendable || _running > 0)
                {
                    ExitLocked(standIn);
                    return null;
                }
                switch (QueueAccess.TryTake(_queue, out var item))
                {
                    case QueueAccess.Take.Item:
                        _puller = null;
                        _running++;
                        return item;
                    case QueueAccess.Take.Stopped:
                        ExitLocked(standIn);
                        return null;
                }
            }
            // NUnit's workers poll their queue every 500 ms as well; either event ends the wait sooner.
            WaitHandle.WaitAny([added.WaitHandle, _wake.WaitHandle], 500);
        }
    }

    /// <summary>For a stand-in whose item is done: true to take the next one (no test runs in the slot and one of its tests
    /// still waits), false when it has left.</summary>
    internal bool Ran(StandIn standIn)
    {
        lock (_gate)
        {
            _running--;
            if (Lendable && _running == 0 && _puller is null)
            {
                _puller = standIn;
                return true;
            }
            ExitLocked(standIn);
            LendLocked(); // a test of the slot may have started to wait while the item ran
            return false;
        }
    }

    /// <summary>For a stand-in that stops on an error of its own: it leaves, and the slot is lent again if need be.</summary>
    internal void Abandon(StandIn standIn)
    {
        lock (_gate)
        {
            if (!_standIns.Contains(standIn)) return;
            ExitLocked(standIn);
            LendLocked();
        }
    }

    private void ExitLocked(StandIn standIn)
    {
        _standIns.Remove(standIn);
        if (ReferenceEquals(_puller, standIn)) _puller = null;
        Monitor.PulseAll(_gate);
    }

    /// <summary>The home test has ended (its locks released): its worker waits until every item a stand-in started in this
    /// slot is done and every stand-in has ended. While a test a stand-in runs waits meanwhile, the slot still serves the
    /// queue, so that no item (a fixture's one-time tear-down that releases a lock, say) waits for a blocked worker.</summary>
    private void EndHome()
    {
        StandIn[] started;
        lock (_gate)
        {
            _homeWaiting = false;
            _running--;
            _wake.Set();
            LendLocked();
            while (_standIns.Count > 0) Monitor.Wait(_gate);
            started = [.. _started];
        }
        foreach (var standIn in started) standIn.Join(); // each has left its loop: no stand-in thread outlives the slot
        Dispose(); // every stand-in has left, and every seat of the slot has ended
    }

    /// <summary>Frees the wake-up event once the slot is done with (see <see cref="EndHome"/>).</summary>
    public void Dispose() => _wake.Dispose();

    /// <summary>One test's use of the slot: the engine's <see cref="RunnerSlot"/> for that test's flows. The slot is away
    /// while any of them waits; once the test has ended, waits of flows it left behind count no more.</summary>
    internal sealed class Seat(WorkerSlot slot, bool home) : RunnerSlot
    {
        private int _waits;
        private bool _ended;

        public override void Leave()
        {
            lock (slot._gate)
            {
                if (_ended || _waits++ > 0) return;
                slot.LeaveLocked(home);
            }
        }

        public override void Rejoin()
        {
            lock (slot._gate)
            {
                if (_ended || _waits == 0 || --_waits > 0) return;
                if (slot.ReturnLocked(home) is { } running) NoteOverdraft("nunit", running, 1);
            }
        }

        /// <summary>The test has ended; for the home test, its worker waits for the stand-ins (see <see cref="EndHome"/>). That
        /// wait is neither the test's time nor its lock wait: the test's clock (its result's duration) leaves it out.</summary>
        public void End(TestExecutionContext? context)
        {
            lock (slot._gate)
            {
                if (_ended) return;
                _ended = true;
                if (_waits > 0) _ = slot.ReturnLocked(home); // a flow it left behind still waits: the test itself no longer does
            }
            if (!home) return;
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            slot.EndHome();
            if (context is not null) context.StartTicks += System.Diagnostics.Stopwatch.GetTimestamp() - start;
        }
    }
}
