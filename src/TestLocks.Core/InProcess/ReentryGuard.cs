namespace TestLocks.InProcess;

/// <summary>
/// Remembers which locks the current flow of execution (thread or async call chain) holds, so that asking for one
/// of them again fails at once with <see cref="LockReentryException"/> instead of waiting forever.
/// Entries are set on the synchronous path of every acquire call, so they flow to the caller, and to tasks the
/// caller starts while it holds the lock. A released or failed acquisition is marked inactive wherever it flowed.
/// </summary>
internal static class ReentryGuard
{
    private static readonly AsyncLocal<Hold?> s_holds = new();

    /// <summary>Checks that this flow does not hold <paramref name="key"/>, then records a pending hold of it.</summary>
    public static Hold Enter(string key)
    {
        var head = s_holds.Value;
        var anyInactive = false;
        for (var h = head; h is not null; h = h.Next)
        {
            if (!h.Active) { anyInactive = true; continue; }
            if (string.Equals(h.Key, key, StringComparison.Ordinal)) throw new LockReentryException(key);
        }
        if (Adapters.CurrentTest.HoldingTest(key) is { } testId) throw new LockReentryException(key, testId);
        if (anyInactive) head = Prune(head);
        var hold = new Hold(key, head);
        s_holds.Value = hold;
        return hold;
    }

    private static Hold? Prune(Hold? h)
    {
        if (h is null) return null;
        var rest = Prune(h.Next);
        if (!h.Active) return rest;
        return ReferenceEquals(rest, h.Next) ? h : new Hold(h.Key, rest) { Shared = h };
    }

    /// <summary>One hold in the flow's list. Copies made while pruning share the original's state.</summary>
    internal sealed class Hold(string key, Hold? next)
    {
        private volatile bool _released;

        public string Key { get; } = key;
        public Hold? Next { get; } = next;
        public Hold? Shared { get; init; }
        public bool Active => Shared?.Active ?? !_released;

        /// <summary>Marks the hold as over: released, or never acquired.</summary>
        public void Exit()
        {
            if (Shared is not null) Shared.Exit(); else _released = true;
        }
    }
}
