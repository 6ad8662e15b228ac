using TestLocks.Testing;

namespace TestLocks.TUnit.Scheduling;

/// <summary>
/// The P parallel slots of one TUnit session, as the semaphore TUnit takes a count of before each test of its parallel
/// and keyed phases (see <see cref="TUnitLimiter"/>). A test waiting for a lock gives its count back
/// (<see cref="SlotSeat"/>); when the wait ends it takes one back at once, over the limit when none is free (an
/// overdraft): then a thread of ours waits for the next count freed, synchronously, because SemaphoreSlim serves a
/// synchronous waiter before the asynchronous ones TUnit's tests wait as, so the next count freed pays the overdraft
/// instead of starting another test. Nobody holding a lock ever waits for a count.
/// </summary>
internal sealed class SessionSlots
{
    private readonly object _gate = new();
    private int _owed;
    private bool _collecting;

    public SessionSlots(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        Semaphore = new SemaphoreSlim(size, int.MaxValue);
    }

    /// <summary>TUnit's limit: how many tests run at once.</summary>
    public int Size { get; }

    /// <summary>The counts TUnit takes and releases, one per running test.</summary>
    public SemaphoreSlim Semaphore { get; }

    /// <summary>Counts owed now: tests back from a wait that run over the limit (for tests).</summary>
    public int Owed
    {
        get { lock (_gate) return _owed; }
    }

    /// <summary>A test starts to wait: its count goes back, and the next test waiting for one starts.</summary>
    public void Give() => Semaphore.Release();

    /// <summary>A test's wait ended: it holds a count again when this returns, owed if none was free. Never blocks.</summary>
    public void TakeBack()
    {
        if (Semaphore.Wait(0)) return;
        int running;
        var collect = false;
        lock (_gate)
        {
            running = Size + ++_owed;
            if (!_collecting) _collecting = collect = true;
        }
        RunnerSlot.NoteOverdraft("tunit", running, Size);
        if (collect) new Thread(Collect) { IsBackground = true, Name = "TestLocks.TUnit slot overdraft" }.UnsafeStart();
    }

    /// <summary>Takes the counts owed as they come free, first in line, then ends. Each overdraft is paid at the latest
    /// by the end of the test that ran over, since that test's count is then released.</summary>
    private void Collect()
    {
        while (true)
        {
            Semaphore.Wait();
            lock (_gate)
            {
                if (--_owed > 0) continue;
                _collecting = false;
                return;
            }
        }
    }
}
