using System.Diagnostics.CodeAnalysis;

namespace TestLocks.MSTest.Scheduling;

/// <summary>
/// The user's P parallel slots of one MSTest run, imposed by TestLocks in front of every test (its [GlobalTestInitialize]
/// hook) while MSTest runs more workers (<see cref="MSTestWorkers"/>): a test takes a slot before its locks, gives it back
/// while it waits for a lock (<see cref="SlotSeat"/>), takes it back at once when the wait ends, over the limit when none
/// is free (an overdraft: the count goes below zero, and the next slot freed pays it back instead of starting a waiting
/// test), and frees it after its [GlobalTestCleanup]. Nobody holding a TestLocks lock ever waits here: tests wait only
/// before their locks, and a test back from a lock wait never waits. MSTest skips [GlobalTestCleanup] when a test's
/// constructor, its Dispose or another [GlobalTestInitialize] throws; while tests wait for a slot, a sweep frees the
/// slot of any test whose TestContext MSTest has disposed (the test has ended), so such a test cannot keep it.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "One per test run, alive until the process ends; its timer only ticks while tests wait for a slot.")]
internal sealed class ParallelSlots
{
    private static readonly TimeSpan s_sweepPeriod = TimeSpan.FromMilliseconds(200);

    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiting = new();
    private readonly HashSet<SlotSeat> _holders = [];
    private readonly Timer _sweep;
    private bool _sweeping;
    private int _free;

    public ParallelSlots(int size, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        Workers = workers;
        _free = size;
        _sweep = new Timer(static state => ((ParallelSlots)state!).Sweep(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The user's limit: how many tests run at once (not counting tests waiting for a lock).</summary>
    public int Size { get; }

    /// <summary>How many workers MSTest runs for it.</summary>
    public int Workers { get; }

    /// <summary>Completes when <paramref name="seat"/> holds a slot; cancelled (holding none) when <paramref name="cancellationToken"/> fires first.</summary>
    public Task EnterAsync(SlotSeat seat, CancellationToken cancellationToken)
    {
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_lock)
        {
            if (_free > 0 && _waiting.Count == 0)
            {
                _free--;
                Granted(seat);
                return Task.CompletedTask;
            }
            waiter = new Waiter(seat);
            node = _waiting.AddLast(waiter);
            StartSweep();
        }
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(() =>
            {
                lock (_lock)
                {
                    if (node.List is null) return; // granted already: the seat holds a slot, which its end frees
                    _waiting.Remove(node);
                }
                waiter.Completion.TrySetCanceled(cancellationToken);
            });
        }
        return waiter.Completion.Task;
    }

    /// <summary>A seat's slot comes back (its test waits for a lock, or has ended): pays an overdraft back, or starts the next waiting test.</summary>
    public void Release(SlotSeat seat, bool ended)
    {
        Waiter? next = null;
        lock (_lock)
        {
            if (ended) _holders.Remove(seat);
            _free++;
            if (_free > 0 && _waiting.First is { } first)
            {
                _waiting.RemoveFirst();
                _free--;
                Granted(first.Value.Seat);
                next = first.Value;
            }
        }
        if (next is null) return;
        next.Registration.Dispose();
        next.Completion.TrySetResult();
    }

    /// <summary>A seat's lock wait ended: it holds a slot again, below zero (owed) if none was free. Never blocks.
    /// Returns how many tests run when that is over the limit.</summary>
    public int? TakeBack()
    {
        lock (_lock)
        {
            _free--;
            return _free < 0 ? Size - _free : null;
        }
    }

    /// <summary>A seat that held no slot (its wait for one was cancelled) ends.</summary>
    public void Forget(SlotSeat seat)
    {
        lock (_lock) _holders.Remove(seat);
    }

    private void Granted(SlotSeat seat)
    {
        seat.Entered = true;
        _holders.Add(seat);
    }

    private void StartSweep()
    {
        if (_sweeping) return;
        _sweeping = true;
        _sweep.Change(s_sweepPeriod, s_sweepPeriod);
    }

    /// <summary>While tests wait for a slot: frees the slots of tests that ended without [GlobalTestCleanup].</summary>
    private void Sweep()
    {
        SlotSeat[] ended;
        lock (_lock)
        {
            if (_waiting.Count == 0)
            {
                _sweeping = false;
                _sweep.Change(Timeout.Infinite, Timeout.Infinite);
                return;
            }
            ended = [.. _holders.Where(s => s.TestEnded)];
        }
        foreach (var seat in ended) seat.End();
    }

    private sealed class Waiter(SlotSeat seat)
    {
        public SlotSeat Seat { get; } = seat;
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Registration { get; set; }
    }
}
