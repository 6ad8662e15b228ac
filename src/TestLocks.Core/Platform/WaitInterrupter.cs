namespace TestLocks.Platform;

/// <summary>
/// Calls off a blocking lock wait from another thread, on a platform that can (Linux: a signal to the waiting thread
/// makes its <c>fcntl</c> return). A wait that is called off leaves the kernel's queue of waiters for that lock, so it
/// never wins a lock nobody wants any more, ahead of the live waiters. Elsewhere an abandoned wait stays blocked until
/// it gets the lock, and gives it back.
/// </summary>
internal abstract class WaitInterrupter
{
    /// <summary>The calling thread, as <see cref="Interrupt"/> names it. Called by the waiting thread before it blocks.</summary>
    public abstract long CurrentThread();

    /// <summary>Makes the blocking lock call of <paramref name="thread"/> return (with
    /// <see cref="PlatformErrorKind.Interrupted"/> when its stop condition holds). A thread not blocked then gets the
    /// interruption at its next return from the kernel, harmlessly; it must take it (<see cref="TakePending"/>) before it
    /// blocks on anything else. Returns false when the OS refused.</summary>
    public abstract bool Interrupt(long thread);

    /// <summary>Takes an interruption sent to the calling thread that arrived after its wait had ended, so it cannot
    /// cut short a later call. Called by the waiting thread.</summary>
    public abstract void TakePending();
}
