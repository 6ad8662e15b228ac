namespace TestLocks;

/// <summary>
/// Two holders of one counted lock (or pool) declare different numbers of slots (or members): for example one test
/// project says <c>Slots = 3</c> for "quota" and another <c>Slots = 4</c>, so "at most N" would mean nothing. The message
/// names both counts, both sides and the fix.
/// </summary>
public sealed class SlotCountMismatchException : TestLocksException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="lockName">The counted lock's full name.</param>
    /// <param name="slots">The slot count this acquire declared.</param>
    /// <param name="otherSlots">The slot count the other holder declared.</param>
    /// <param name="self">Who asked (this acquire's owner).</param>
    /// <param name="other">The holder that declared <paramref name="otherSlots"/>.</param>
    public SlotCountMismatchException(string lockName, int slots, int otherSlots, string self, LockHolder other)
        : base($"Counted lock \"{lockName}\" is declared with {slots} slots by {self} (pid {Environment.ProcessId}), but with {otherSlots} slots by " +
               $"its holder {other}. Every process and machine must give a counted lock the same count: fix Slots = / --slots / " +
               "LockFactory.CreateSemaphore (or the pool's members in [testlocks.pools]) so they agree, then run again.")
    {
        ArgumentNullException.ThrowIfNull(other);
        LockName = lockName;
        Slots = slots;
        OtherSlots = otherSlots;
        Other = other;
    }

    /// <summary>The counted lock's full name.</summary>
    public string LockName { get; }

    /// <summary>The slot count this acquire declared.</summary>
    public int Slots { get; }

    /// <summary>The slot count the other holder declared.</summary>
    public int OtherSlots { get; }

    /// <summary>The holder that declared <see cref="OtherSlots"/>.</summary>
    public LockHolder Other { get; }
}
