using TestLocks.Adapters;

namespace TestLocks.Xunit.Scheduling;

/// <summary>
/// The parallel slots of one test run (xUnit's maxParallelThreads): a test collection takes one to start, in order, and
/// gives it back when it ends. A test that waits for a lock gives its slot back meanwhile (<see cref="RunnerSlot"/>) and,
/// once its wait ends, takes a slot back at once: over the limit when none is free (an overdraft). The pool then absorbs
/// the overdraft from the next slots freed instead of starting collections, so nobody ever waits for a slot while
/// holding a lock.
/// </summary>
internal sealed class SlotPool
{
    private readonly object _gate = new();
    private readonly LinkedList<TaskCompletionSource> _starting = new();
    private readonly int _size;
    private int _free;

    public SlotPool(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _size = size;
        _free = size;
    }

    /// <summary>Slots nobody holds now (for tests); below zero while tests back from a wait run over the limit.</summary>
    public int Free
    {
        get { lock (_gate) return _free; }
    }

    /// <summary>Takes a slot for a collection that starts, waiting in line while none is free.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public async ValueTask<Slot> TakeAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource granted;
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            if (_free > 0)
            {
                _free--;
                return new Slot(this);
            }
            granted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _starting.AddLast(granted);
        }
        using (cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (node.List is null) return; // granted first: the slot is this collection's
                _starting.Remove(node);
            }
            granted.TrySetCanceled(cancellationToken);
        }))
        {
            await granted.Task.ConfigureAwait(false);
        }
        return new Slot(this);
    }

    /// <summary>A slot comes free: it first pays back an overdraft, else goes to the first collection in line.</summary>
    private void GiveLocked()
    {
        _free++;
        if (_free > 0 && _starting.First is { } starting)
        {
            _free--;
            _starting.RemoveFirst();
            starting.Value.TrySetResult();
        }
    }

    /// <summary>A test back from its wait takes a slot at once, free or not; returns how many run when that is over the limit.</summary>
    private int? TakeBackLocked()
    {
        _free--;
        return _free < 0 ? _size - _free : null;
    }

    /// <summary>The slot of one test collection. Its test's flows may wait for locks at once; the slot is away while any of
    /// them waits, and taken again when the last one is done waiting. Once the collection has ended, a wait that ends
    /// late (a fire-and-forget task, a test that timed out) takes nothing.</summary>
    internal sealed class Slot(SlotPool pool) : RunnerSlot
    {
        private bool _held = true;
        private bool _released;
        private int _waits;

        /// <summary>Whether the collection holds the slot now (for tests).</summary>
        public bool Held
        {
            get { lock (pool._gate) return _held; }
        }

        public override void Leave()
        {
            lock (pool._gate)
            {
                if (_released || _waits++ > 0 || !_held) return;
                _held = false;
                pool.GiveLocked();
            }
        }

        public override void Rejoin()
        {
            lock (pool._gate)
            {
                if (_released || _waits == 0) return;
                if (--_waits > 0 || _held) return;
                _held = true;
                if (pool.TakeBackLocked() is { } running) NoteOverdraft("xunit.v3", running, pool._size);
            }
        }

        /// <summary>The collection has ended: its slot goes back to the pool, and later waits of its flows count no more.</summary>
        public void Release()
        {
            lock (pool._gate)
            {
                if (_released) return;
                _released = true;
                if (!_held) return;
                _held = false;
                pool.GiveLocked();
            }
        }
    }
}
