namespace TestLocks.Backends.Tests.Faults;

/// <summary>A fault injected between a lock's holder and its server, or into the holder or the server.</summary>
public enum Fault
{
    /// <summary>The proxy closes both sides of the holder's connections (FIN).</summary>
    Cut,

    /// <summary>The proxy aborts both sides of the holder's connections (RST).</summary>
    Reset,

    /// <summary>The proxy holds every byte, both ways, connections left open: a stall, a partition that drops packets.</summary>
    Freeze,

    /// <summary>The proxy passes every chunk on a lease later (Redis) or seconds later (PostgreSQL).</summary>
    Delay,

    /// <summary>As <see cref="Freeze"/>, until the holder declares the lock lost: a stall longer than its keepalive (PostgreSQL).</summary>
    Stall,

    /// <summary>The holder process stopped with SIGSTOP (a long GC pause, a frozen VM), then SIGCONT.</summary>
    Pause,

    /// <summary>The server killed with SIGKILL and started again without persistence.</summary>
    Restart,
}

/// <summary>How a round ended for the lock: what the witness saw, and when the holder and the waiter knew.</summary>
/// <param name="LostMs">Milliseconds from the fault until the holder knew it lost the lock; null: it kept the lock.</param>
/// <param name="AcquiredMs">Milliseconds from the fault until the waiter had the lock.</param>
/// <param name="Overlap">"none"; "detected": two holds overlapped and the earlier holder was told it lost the lock; "UNDETECTED".</param>
public sealed record FaultRound(string Backend, Fault Fault, int Round, long? LostMs, long AcquiredMs, string Overlap)
{
    public override string ToString() =>
        $"{Backend} {Fault.ToString().ToLowerInvariant()} round {Round}: holder knew it lost the lock after {(LostMs is { } l ? $"{l} ms" : "never (kept it)")}, " +
        $"waiter had it after {AcquiredMs} ms, overlap {Overlap}";
}
