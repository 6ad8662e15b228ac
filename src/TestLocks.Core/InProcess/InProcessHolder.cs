namespace TestLocks.InProcess;

/// <summary>Who holds a lock in this process, as a waiter's message names it: the hold granted here (never a request
/// still queued), with the holder's own mode; and, while that holder itself still waits for the lock beyond this process
/// (the lock file, a server), whom it waits for, so the message names the chain down to the real holder.</summary>
internal static class InProcessHolder
{
    public const string Note = "in this process";

    /// <param name="lock">The in-process lock the waiter queues for.</param>
    /// <param name="waiterMode">The waiter's mode, shown when the holder let go just now.</param>
    /// <param name="beyond">Who holds the lock beyond this process, or null when it has no backend.</param>
    public static LockHolder Describe(FifoReaderWriterLock @lock, LockMode waiterMode, Func<LockHolder?>? beyond)
    {
        var holding = @lock.Holder;
        var note = Note;
        if (holding is { Settled: false } && beyond?.Invoke() is { } outside)
        {
            note = outside.ProcessId == Diagnostics.ThisProcess.Id
                ? $"{Note}; {holding.Owner} itself still waits for it, held by {outside}: a test that waits for its own process"
                : $"{Note}; {holding.Owner} itself still waits for it, held by {outside}";
        }
        return new LockHolder(Diagnostics.ThisProcess.Id, Diagnostics.ThisProcess.Host, holding?.Owner, holding?.Since, holding?.Mode ?? waiterMode, note);
    }
}
