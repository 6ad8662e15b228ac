namespace TestLocks.Platform;

/// <summary>
/// An open lock file, as one operating system locks it. The file backend is written against this class only; every
/// OS call lives in its subclasses. A lock file is used by one thread at a time (the in-process lock guarantees it).
/// </summary>
internal abstract class LockFile : IDisposable
{
    /// <summary>The bytes reserved at the start of every lock file for the file backend's holder record: the layout
    /// of the file (where the record lives, what lies past it) is this layer's, the record's content the backend's.</summary>
    public const int RecordSize = 512;

    /// <summary>Blanks the record area (spaces ending in a newline), so a free lock file names nobody. The last holder
    /// to leave calls it; so do subclasses, which alone can tell when a reader was the last.</summary>
    public void ClearRecord()
    {
        Span<byte> buffer = stackalloc byte[RecordSize];
        buffer.Fill((byte)' ');
        buffer[RecordSize - 1] = (byte)'\n';
        WriteRecord(buffer);
    }

    /// <summary>Locks the whole file for <paramref name="mode"/>. Without <paramref name="wait"/>, a held lock gives
    /// <see cref="PlatformError.Busy"/>; with it, blocks the calling thread until the kernel grants the lock.
    /// The engine calls the waiting form on a thread of its own, which it may abandon: the wait then ends by itself
    /// when the lock is granted, and the engine unlocks at once.</summary>
    public abstract PlatformError Lock(LockMode mode, bool wait);

    /// <summary>Locks the whole file (or, with <paramref name="turnstile"/>, takes its turnstile), blocking until the kernel
    /// grants it, on a platform with a <see cref="LockFilePlatform.Interrupter"/>: when the wait is interrupted and
    /// <paramref name="stop"/> says so, it returns <see cref="PlatformError.Interrupted"/> without the lock.
    /// Elsewhere the same as the waiting <see cref="Lock"/> or <see cref="LockTurnstile"/>.</summary>
    public virtual PlatformError LockUntilStopped(LockMode mode, bool turnstile, Func<bool> stop)
        => turnstile ? LockTurnstile(mode, wait: true) : Lock(mode, wait: true);

    /// <summary>Takes the writers' turnstile of this lock file: a writer that must wait holds it for writing while it waits,
    /// and readers pass through it (take it for reading and release it at once) before they lock, so waiting writers
    /// go before readers that come later, across processes. Without wait, a held turnstile gives
    /// <see cref="PlatformError.Busy"/>. A platform without one grants it at once (no writer preference).</summary>
    public virtual PlatformError LockTurnstile(LockMode mode, bool wait) => PlatformError.None;

    /// <summary>Whether a writer may hold the turnstile now, so that a reader must pass through it (<see cref="LockTurnstile"/>
    /// and <see cref="UnlockTurnstile"/>); false when the kernel says at once that nobody holds it for writing, which a
    /// reader then need not take and release (one system call instead of two, with the same answer at that moment).
    /// A platform that cannot ask says true.</summary>
    public virtual bool TurnstileMayBeHeld() => true;

    /// <summary>Releases the turnstile.</summary>
    public virtual void UnlockTurnstile()
    {
    }

    /// <summary>Releases this file's lock. Returns false if the OS refused (closing the file releases it anyway).</summary>
    public abstract bool Unlock();

    /// <summary>Whether <paramref name="path"/> still names the file this one was opened as (not deleted, not replaced).</summary>
    public abstract bool IsNamedBy(string path);

    /// <summary>Who would block a write lock now, or null when nobody holds the file.</summary>
    public abstract LockConflict? GetConflict();

    /// <summary>Whether process <paramref name="pid"/> holds a lock on this file, as the kernel tells; null when it
    /// cannot tell (another user's process, or an OS that does not say).</summary>
    public abstract bool? IsLockedByProcess(int pid);

    /// <summary>A process that holds a lock on this file, as the kernel tells, found without a record (a reader whose
    /// record another reader overwrote and then blanked or left stale); null when none is found or the OS cannot say.
    /// Slow (it may look at every process), so only for wait notices and status, never on an acquire.</summary>
    public virtual int? FindLockingProcess() => null;

    /// <summary>Writes the holder record at the start of the file, or other bytes <paramref name="at"/> bytes past that
    /// start (the fencing counter). Returns whether all were written; for the record, a failure loses diagnostics only.</summary>
    public abstract bool WriteRecord(ReadOnlySpan<byte> record, int at = 0);

    /// <summary>Reads the holder record (or the bytes <paramref name="at"/> bytes past its start) into
    /// <paramref name="buffer"/>; returns the bytes read (0 when there are none).</summary>
    public abstract int ReadRecord(Span<byte> buffer, int at = 0);

    /// <summary>Closes the file, which also releases any lock it holds.</summary>
    public abstract void Dispose();
}
