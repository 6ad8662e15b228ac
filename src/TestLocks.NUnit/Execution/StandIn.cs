using NUnit.Framework.Internal.Execution;

namespace TestLocks.NUnit.Execution;

/// <summary>
/// A thread that runs work items from a parallel queue in the slot of a worker whose test waits for a lock
/// (<see cref="WorkerSlot"/>), until that test holds its locks again. It runs each item as NUnit's own worker does
/// (<see cref="WorkItem.Execute"/>), and puts back an item it dequeued after it lost the slot.
/// </summary>
internal sealed class StandIn(WorkerSlot slot)
{
    [ThreadStatic]
    private static StandIn? t_current;

    private static int s_count;

    /// <summary>The stand-in whose thread this is; null on any other thread.</summary>
    public static StandIn? Current => t_current;

    public WorkerSlot Slot { get; } = slot;

    /// <summary>Waiting for an item (it gives the slot up at once to a test that returns from its wait).</summary>
    public bool IsPulling { get; set; } = true;

    /// <summary>Gone: it runs nothing more.</summary>
    public bool IsDone { get; set; }

    /// <summary>Starts the thread without the waiting test's execution context: it runs other tests, which must not inherit
    /// that test's locks, owner name or slot (as NUnit's own workers do not).</summary>
    public void Start() =>
        new Thread(Run) { IsBackground = true, Name = $"TestLocks.StandIn#{Interlocked.Increment(ref s_count)}" }.UnsafeStart();

    private void Run()
    {
        t_current = this;
        while (Slot.MayPull(this))
        {
            var item = Slot.Dequeue();
            if (!Slot.MayRun(this, item)) break;
            try
            {
                item!.Execute();
            }
#pragma warning disable CA1031 // NUnit's worker lets nothing escape an item either; the item records its own failures
            catch (Exception)
            {
            }
#pragma warning restore CA1031
            Slot.Ran(this);
        }
    }
}
