using TestLocks.Testing;

namespace TestLocks.Xunit.Scheduling;

/// <summary>
/// The parallel slots of one test run (xUnit's maxParallelThreads): a test collection takes one to start, in order, and
/// gives it back when it ends. A test that waits for a lock gives its slot back meanwhile (<see cref="RunnerSlot"/>) and,
/// once its wait ends, takes the next free slot ahead of every collection not yet started.
/// </summary>
internal sealed class SlotPool
{
    private readonly object _gate = new();
    private readonly LinkedList<Slot> _returning = new();
    private readonly LinkedList<TaskCompletionSource> _starting = new();
    private int _free;

    public SlotPool(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _free = size;
    }

    /// <summary>Slots nobody holds now (for tests).</summary>
    public int Free
    {
        get { lock (_gate) return _free; }
    }

    /// <summary>Takes a slot for a collection that starts, waiting in line behind tests that return to theirs.</summary>
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

    /// <summary>A slot comes free: to the first test returning to a slot, else to the first collection in line.</summary>
    private void GiveLocked()
    {
        while (_returning.First is { } returning)
        {
            _returning.RemoveFirst();
            if (returning.Value.GrantLocked()) return;
        }
        if (_starting.First is { } starting)
        {
            _starting.RemoveFirst();
            starting.Value.TrySetResult();
            return;
        }
        _free++;
    }

    /// <summary>The slot of one test collection. Its test's flows may wait for locks at once; the slot is away while any of
    /// them waits, and taken again when the last one is done waiting.</summary>
    internal sealed class Slot(SlotPool pool) : RunnerSlot
    {
        private LinkedListNode<Slot>? _line;
        private TaskCompletionSource? _request;
        private bool _held = true;
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
                if (_waits++ > 0 || !_held) return;
                _held = false;
                pool.GiveLocked();
            }
        }

        public override ValueTask ReturnAsync()
        {
            Task granted;
            lock (pool._gate)
            {
                if (--_waits > 0 || _held) return ValueTask.CompletedTask;
                if (_request is null)
                {
                    if (pool._free > 0)
                    {
                        pool._free--;
                        _held = true;
                        return ValueTask.CompletedTask;
                    }
                    _request = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _line = pool._returning.AddLast(this);
                }
                granted = _request.Task;
            }
            return new ValueTask(granted);
        }

        /// <summary>The pool offers this slot a free slot; false when a flow of its test has started to wait again meanwhile,
        /// so that the slot goes on to the next in line (the flows that asked go on: their test counts as waiting).</summary>
        internal bool GrantLocked()
        {
            var request = _request!;
            _request = null;
            _line = null;
            _held = _waits == 0;
            request.TrySetResult();
            return _held;
        }

        /// <summary>The collection has ended: its slot goes back to the pool.</summary>
        public void Release()
        {
            lock (pool._gate)
            {
                if (_line is not null)
                {
                    pool._returning.Remove(_line);
                    _line = null;
                    _request!.TrySetResult();
                    _request = null;
                }
                if (!_held) return;
                _held = false;
                pool.GiveLocked();
            }
        }
    }
}
