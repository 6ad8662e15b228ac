namespace TestLocks.Backends.File;

/// <summary>
/// The threads that block in the kernel for contended lock waits. Starting a thread costs far more than waking a
/// parked one, and on a busy machine it can take longer than the holder keeps the lock, so threads are reused: a
/// finished wait parks its thread here; a thread idle for <see cref="IdleLifetime"/> exits. There is no upper bound,
/// since every concurrent wait needs a thread of its own to block in.
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

#pragma warning disable CA1001 // the worker disposes its semaphore itself when it retires
    private sealed class Worker
#pragma warning restore CA1001
    {
        private const int Idle = 0, Assigned = 1, Retired = 2;

        private readonly SemaphoreSlim _signal = new(0);
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
            _work = work;
            if (Interlocked.CompareExchange(ref _state, Assigned, Idle) != Idle) return false;
            _signal.Release();
            return true;
        }

        private void Loop()
        {
            while (true)
            {
                var work = Interlocked.Exchange(ref _work, null)!;
                work();
                Volatile.Write(ref _state, Idle);
                lock (s_idle) s_idle.Push(this);
                while (!_signal.Wait(IdleLifetime))
                {
                    if (Interlocked.CompareExchange(ref _state, Retired, Idle) == Idle)
                    {
                        _signal.Dispose(); // nobody took it, and nobody can now: exit
                        return;
                    }
                    // Assigned while the wait timed out: the signal is on its way.
                }
            }
        }
    }
}
