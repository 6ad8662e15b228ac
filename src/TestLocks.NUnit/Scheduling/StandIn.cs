using NUnit.Framework.Internal.Execution;
using TestLocks.Adapters;

namespace TestLocks.NUnit.Scheduling;

/// <summary>
/// A thread that runs work items from a parallel queue in the slot of a worker whose test waits for a lock
/// (<see cref="WorkerSlot"/>), as NUnit's own worker does (<see cref="WorkItem.Execute"/>), and takes a next item only
/// while that test still waits and no other test runs in the slot. It never blocks in NUnit's <c>Dequeue</c> and never
/// puts an item back (<see cref="QueueAccess"/>), and it ends before the waiting test's worker goes on.
/// </summary>
internal sealed class StandIn(WorkerSlot slot)
{
    [ThreadStatic]
    private static StandIn? t_current;

    private static int s_count;
    private static int s_alive;
    private Thread? _thread;

    /// <summary>The stand-in whose thread this is; null on any other thread.</summary>
    public static StandIn? Current => t_current;

    public WorkerSlot Slot { get; } = slot;

    /// <summary>Stand-in threads started and not yet ended, in this process (a run's end should find none).</summary>
    internal static int Alive => Volatile.Read(ref s_alive);

    /// <summary>Starts the thread without the waiting test's execution context: it runs other tests, which must not inherit
    /// that test's locks, owner name or slot (as NUnit's own workers do not).</summary>
    public void Start()
    {
        Interlocked.Increment(ref s_alive);
        _thread = new Thread(Run) { IsBackground = true, Name = $"TestLocks.StandIn#{Interlocked.Increment(ref s_count)}" };
        _thread.UnsafeStart();
    }

    /// <summary>Waits for the thread to end, once it has left its slot (see <see cref="WorkerSlot"/>).</summary>
    public void Join() => _thread?.Join();

    private void Run()
    {
        t_current = this;
        try
        {
            while (Slot.Next(this) is { } item)
            {
                // Waits in the item's flows (a fixture's one-time set-up, a test's body) give the slot on as well.
                var seat = new WorkerSlot.Seat(Slot, home: false);
                RunnerSlot.Current = seat;
                try
                {
                    item.Execute();
                }
#pragma warning disable CA1031 // NUnit's worker lets nothing escape an item either; the item records its own failures
                catch (Exception)
                {
                }
#pragma warning restore CA1031
                finally
                {
                    seat.End(context: null);
                    RunnerSlot.Current = null;
                }
                if (!Slot.Ran(this)) break;
            }
        }
#pragma warning disable CA1031 // an error of the stand-in's own must not end the process nor keep the home worker waiting
        catch (Exception)
        {
            Slot.Abandon(this);
        }
#pragma warning restore CA1031
        finally
        {
            Interlocked.Decrement(ref s_alive);
        }
    }
}
