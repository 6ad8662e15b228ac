using System.Reflection;
using System.Runtime.CompilerServices;
using TestLocks.Adapters;

namespace TestLocks.TUnit.Scheduling;

/// <summary>
/// The P parallel slots of one TUnit session, as the semaphore TUnit takes a count of (<c>WaitAsync</c>) before each test
/// of its parallel and keyed phases and releases after it (see <see cref="TUnitLimiter"/>). A test waiting for a lock
/// gives its count back (<see cref="SlotSeat"/>); when the wait ends it takes one back at once, over the limit when none
/// is free (an overdraft): the count goes below zero, so the next release pays the overdraft back instead of starting a
/// waiting test, as xUnit v3's slot pool does. SemaphoreSlim has no such operation, and a synchronous waiter would queue
/// behind TUnit's asynchronous ones, so this takes the count under the semaphore's own lock (its private
/// <c>m_lockObjAndDisposed</c> and <c>m_currentCount</c>, checked by <see cref="Problem"/> before any use). Only
/// <c>WaitAsync</c> and <c>Release</c> are ever called on it, which both treat a count below zero as none free. Nobody
/// holding a lock ever waits for a count.
/// </summary>
internal sealed class SessionSlots
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
    private static readonly FieldInfo? s_count = typeof(SemaphoreSlim).GetField("m_currentCount", Private);
    private static readonly FieldInfo? s_lock = typeof(SemaphoreSlim).GetField("m_lockObjAndDisposed", Private);

    public SessionSlots(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        // A maximum far from int.MaxValue: Release checks it as maximum - count, which must not overflow below zero.
        Semaphore = new SemaphoreSlim(size, int.MaxValue / 2);
    }

    /// <summary>What this .NET's SemaphoreSlim lacks for overdrafts; null when it has it all.</summary>
    public static string? Problem =>
        s_count?.FieldType == typeof(int) && s_lock?.FieldType == typeof(StrongBox<bool>)
            ? null
            : $"TestLocks.TUnit cannot lend the parallel slot of a waiting test on .NET {Environment.Version}: its SemaphoreSlim differs from .NET 10's "
              + "(int m_currentCount, StrongBox<bool> m_lockObjAndDisposed). Waiting tests keep their slots; report the .NET version to TestLocks.";

    /// <summary>TUnit's limit: how many tests run at once.</summary>
    public int Size { get; }

    /// <summary>The counts TUnit takes and releases, one per running test.</summary>
    public SemaphoreSlim Semaphore { get; }

    /// <summary>A test starts to wait: its count goes back, to pay an overdraft or to start the next test waiting for one.</summary>
    public void Give() => Semaphore.Release();

    /// <summary>A test's wait ended: it holds a count again when this returns, below zero (owed) if none was free. Never
    /// blocks. Returns how many tests run when that is over the limit.</summary>
    public int? TakeBack()
    {
        int count;
        lock (s_lock!.GetValue(Semaphore)!)
        {
            count = (int)s_count!.GetValue(Semaphore)! - 1;
            s_count.SetValue(Semaphore, count);
        }
        return count < 0 ? Size - count : null;
    }
}
