using TestLocks.InProcess;

namespace TestLocks;

/// <summary>
/// A held slot of a <see cref="CountedLock"/>: which slot (or pool member) it is. Dispose it (sync or async) to free the
/// slot; release is idempotent and may happen on another thread than the acquire.
/// </summary>
public sealed class CountedLockHandle : IDisposable, IAsyncDisposable
{
    internal CountedLockHandle(CountedLock @lock, LockHandle slot, int index, ReentryGuard.Hold hold, TimeSpan waited)
    {
        Lock = @lock;
        SlotHandle = slot;
        Slot = index + 1;
        Member = @lock.MemberAt(index);
        slot.CountedHold = hold; // released with the slot, also when a test's lock set releases the slot itself
        Waited = waited;
    }

    /// <summary>The counted lock (or pool) this slot belongs to.</summary>
    public CountedLock Lock { get; }

    /// <summary>The held slot's own lock: its name is the slot's lock file or server key (<c>quota.slot-2</c>, or the
    /// member's lock name for a pool).</summary>
    public LockHandle SlotHandle { get; }

    /// <summary>Which slot is held, from 1 to <see cref="CountedLock.Slots"/> (for a pool: the member's position, from 1).</summary>
    public int Slot { get; }

    /// <summary>The pool member held (for example "db2"); null for a counted lock made by <see cref="LockFactory.CreateSemaphore"/>.</summary>
    public string? Member { get; }

    /// <summary>The counted lock's full name.</summary>
    public string Name => Lock.Name;

    /// <summary>Who took the slot (a test name, or "pid N").</summary>
    public string Owner => SlotHandle.Owner;

    /// <summary>How long the acquire waited, for the turnstile and a slot (zero when a slot was free at once).</summary>
    public TimeSpan Waited { get; }

    /// <summary>The fencing token of the slot's lock on a server backend (see <see cref="LockHandle.FencingToken"/>).</summary>
    public long? FencingToken => SlotHandle.FencingToken;

    /// <summary>Fires if the backend loses the slot while it is held (see <see cref="LockHandle.HandleLostToken"/>).</summary>
    public CancellationToken HandleLostToken => SlotHandle.HandleLostToken;

    /// <summary>Whether the slot has been released.</summary>
    public bool IsReleased => SlotHandle.IsReleased;

    /// <summary>Frees the slot. Calling it again does nothing.</summary>
    public void Dispose() => SlotHandle.Dispose();

    /// <summary>Frees the slot. Calling it again does nothing.</summary>
    public ValueTask DisposeAsync() => SlotHandle.DisposeAsync();
}
