using System.Diagnostics;

namespace TestLocks.InProcess;

/// <summary>
/// An async reader/writer lock with one FIFO queue: a request that cannot be granted at once waits behind every
/// earlier request, so writers are never starved (a reader that arrives while a writer waits queues behind it, as
/// in fasteners' ReaderWriterLock). Exclusive locks use the write side. Async waiters hold no thread.
/// </summary>
internal sealed class FifoReaderWriterLock
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _queue = new();
    private int _readers;
    private bool _writer;

    private Holding? _writerHolding;
    private readonly LinkedList<Holding> _readerHoldings = new();

    /// <summary>Who holds the lock in this process now, for waiters' messages: the writer, else the reader that has held it
    /// longest; null when nobody does. Only a request granted here is ever named: never one still in the queue, nor one
    /// that has let go.</summary>
    public Holding? Holder
    {
        get { lock (_gate) return _writerHolding ?? _readerHoldings.First?.Value; }
    }

    /// <summary>The owner of <see cref="Holder"/>; null when nobody holds the lock here.</summary>
    public string? HolderOwner => Holder?.Owner;

    /// <summary>How many requests wait in the queue now.</summary>
    public int QueueLength
    {
        get { lock (_gate) return _queue.Count; }
    }

    /// <summary>Takes the lock if that is possible without waiting; <paramref name="now"/> is the caller's
    /// <see cref="Stopwatch.GetTimestamp"/> of the attempt.</summary>
    public bool TryEnter(LockMode mode, string owner, long now)
    {
        lock (_gate)
        {
            if (_queue.Count != 0 || !CanGrant(mode)) return false;
            Grant(mode, owner, now);
            return true;
        }
    }

    /// <summary>
    /// Waits for the lock. Completes with true once held, false when <paramref name="timeout"/> passes first, or
    /// cancels when <paramref name="cancellationToken"/> fires first. Either way a waiter that gives up leaves the
    /// queue, so it can never be granted the lock later.
    /// </summary>
    public Task<bool> EnterAsync(LockMode mode, string owner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_queue.Count == 0 && CanGrant(mode))
            {
                Grant(mode, owner, Stopwatch.GetTimestamp());
                return Task.FromResult(true);
            }
            if (timeout == TimeSpan.Zero) return Task.FromResult(false);
            cancellationToken.ThrowIfCancellationRequested();
            waiter = new Waiter(mode, owner);
            waiter.Node = _queue.AddLast(waiter);
        }
        try
        {
            waiter.Arm(this, timeout, cancellationToken);
        }
        catch when (TryRemove(waiter))
        {
            throw; // never leave a waiter in the queue that nobody waits for
        }
        return waiter.Completion.Task;
    }

    /// <summary>Releases the hold of <paramref name="mode"/> that <paramref name="owner"/> took and grants the lock to the next
    /// waiters in line.</summary>
    public void Exit(LockMode mode, string owner)
    {
        lock (_gate)
        {
            if (mode == LockMode.Write)
            {
                if (!_writer) throw new InvalidOperationException("Internal error: write side released while not held.");
                _writer = false;
                _writerHolding = null;
            }
            else
            {
                if (_readers == 0) throw new InvalidOperationException("Internal error: read side released while not held.");
                _readers--;
                _readerHoldings.Remove(FindReader(owner, settled: null) ?? _readerHoldings.First!);
            }
            var now = 0L;
            while (_queue.First is { } node && CanGrant(node.Value.Mode))
            {
                _queue.RemoveFirst();
                var waiter = node.Value;
                waiter.Node = null;
                if (now == 0) now = Stopwatch.GetTimestamp();
                Grant(waiter.Mode, waiter.Owner, now);
                waiter.Completion.TrySetResult(true);
                if (waiter.Mode == LockMode.Write) break;
            }
        }
    }

    private bool CanGrant(LockMode mode) => mode == LockMode.Write ? !_writer && _readers == 0 : !_writer;

    /// <summary>The hold that <paramref name="owner"/> took here is complete: nothing beyond this process (the lock file,
    /// a server) is still to be taken for it. Until then, a waiter's message says what the holder itself waits for.</summary>
    public void Settle(LockMode mode, string owner)
    {
        lock (_gate)
        {
            var holding = mode == LockMode.Write ? _writerHolding : FindReader(owner, settled: false)?.Value;
            if (holding is not null && holding.Owner == owner) holding.Settled = true;
        }
    }

    private LinkedListNode<Holding>? FindReader(string owner, bool? settled)
    {
        for (var node = _readerHoldings.First; node is not null; node = node.Next)
        {
            if (node.Value.Owner == owner && (settled is null || node.Value.Settled == settled)) return node;
        }
        return null;
    }

    private void Grant(LockMode mode, string owner, long now)
    {
        var holding = new Holding(owner, mode, now);
        if (mode == LockMode.Write)
        {
            _writer = true;
            _writerHolding = holding;
        }
        else
        {
            _readers++;
            _readerHoldings.AddLast(holding);
        }
    }

    /// <summary>One hold granted in this process: who took it, how, and since when.</summary>
    internal sealed class Holding(string owner, LockMode mode, long grantedAt)
    {
        public string Owner { get; } = owner;

        public LockMode Mode { get; } = mode;

        /// <summary>When it was granted (a Stopwatch timestamp is kept: reading the wall clock on every grant cost more
        /// than the rest of an uncontended grant; the time is asked for only by waiters).</summary>
        public DateTimeOffset Since => DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(grantedAt);

        /// <summary>Whether the hold is complete beyond this process too (see <see cref="Settle"/>).</summary>
        public bool Settled
        {
            get => Volatile.Read(ref _settled);
            set => Volatile.Write(ref _settled, value);
        }

        private bool _settled;
    }

    /// <summary>Removes a waiter that gave up. Returns false when it was granted the lock first.</summary>
    private bool TryRemove(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Node is null) return false;
            _queue.Remove(waiter.Node);
            waiter.Node = null;
            return true;
        }
    }

    private sealed class Waiter(LockMode mode, string owner)
    {
        public LockMode Mode { get; } = mode;
        public string Owner { get; } = owner;
        public LinkedListNode<Waiter>? Node { get; set; }
        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Timer? _timer;

        private bool Rearm(Threading.Deadline deadline)
        {
            try { return _timer?.Change(deadline.Remaining, Timeout.InfiniteTimeSpan) ?? false; }
            catch (ObjectDisposedException) { return true; } // completed meanwhile
        }

        public void Arm(FifoReaderWriterLock owner, TimeSpan timeout, CancellationToken cancellationToken)
        {
            CancellationTokenRegistration registration = default;
            Timer? timer = null;
            if (cancellationToken.CanBeCanceled)
            {
                registration = cancellationToken.UnsafeRegister(static (s, token) =>
                {
                    var (w, l) = ((Waiter, FifoReaderWriterLock))s!;
                    if (l.TryRemove(w)) w.Completion.TrySetCanceled(token);
                }, (this, owner));
            }
            if (!Threading.Deadline.IsUnlimitedTimeout(timeout))
            {
                // Timers can fire up to a millisecond early: time out only once the deadline has really passed.
                var deadline = Threading.Deadline.After(timeout);
                timer = new Timer(static s =>
                {
                    var (w, l, d) = ((Waiter, FifoReaderWriterLock, Threading.Deadline))s!;
                    if (!d.HasPassed && w.Rearm(d)) return;
                    if (l.TryRemove(w)) w.Completion.TrySetResult(false);
                }, (this, owner, deadline), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timer = timer;
                timer.Change(deadline.Remaining, Timeout.InfiniteTimeSpan);
            }
            if (registration != default || timer is not null)
            {
                Completion.Task.ContinueWith(static (_, s) =>
                {
                    var (r, t) = ((CancellationTokenRegistration, Timer?))s!;
                    r.Dispose();
                    t?.Dispose();
                }, (registration, timer), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }
}
