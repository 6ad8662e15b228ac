namespace TestLocks.Backends.File;

/// <summary>
/// The threads that block in the kernel for contended lock waits. Starting a thread costs far more than waking a
/// parked one, and on a busy machine it can take longer than the holder keeps the lock, so threads are reused: a
/// finished wait parks its thread here; a thread idle for <see cref="IdleLifetime"/> exits. There is no upper bound,
/// since every concurrent wait needs a thread of its own to block in. A parked thread blocks at once
/// (<see cref="Monitor.Wait(object, TimeSpan)"/>), without the spinning (and yielding of the processor) that
/// <see cref="SemaphoreSlim.Wait(TimeSpan)"/> does first: a counted acquire parks a thread for every wait it armed, and on
/// a 2-core machine those spins took processor time from the waiters being woken (docs/benchmarks.md, the pool). A
/// counted acquire also cancels its lost waits on one of these threads when no wait thread is at hand to do it, for the
/// same reason (thread-pool workers spin after each item).
/// </summary>
internal static class KernelWaitThreads
{
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);

    private static readonly Stack<Worker> s_idle = new();

    /// <summary>Runs <paramref name="work"/> on an idle waiting thread, or a new one.</summary>
    public static void Run(Action work)
    {
        while (true)
        {
            Worker? worker;
            lock (s_idle) s_idle.TryPop(out worker);
            if (worker is null)
            {
                new Worker(work).Start();
                return;
            }
            if (worker.TryAssign(work)) return;
            // That worker was retiring at this very moment: take another.
        }
    }

    private sealed class Worker
    {
        private const int Idle = 0, Assigned = 1, Retired = 2;

        private readonly object _gate = new();
        private Action? _work;
        private int _state = Assigned;

        public Worker(Action first) => _work = first;

        public void Start()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "TestLocks lock wait" };
            thread.UnsafeStart();
        }

        public bool TryAssign(Action work)
        {
            lock (_gate)
            {
                if (_state != Idle) return false; // retired at this very moment
                _work = work;
                _state = Assigned;
                Monitor.Pulse(_gate);
                return true;
            }
        }

        private void Loop()
        {
            var work = _work!;
            while (true)
            {
                work();
                lock (_gate)
                {
                    _work = null;
                    _state = Idle;
                }
                lock (s_idle) s_idle.Push(this);
                lock (_gate)
                {
                    while (_state == Idle)
                    {
                        if (!Monitor.Wait(_gate, IdleLifetime) && _state == Idle)
                        {
                            _state = Retired; // nobody took it, and nobody can now: exit
                            return;
                        }
                    }
                    work = _work!;
                }
            }
        }
    }
}
