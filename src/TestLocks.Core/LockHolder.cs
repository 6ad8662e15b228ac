using TestLocks.Diagnostics;

namespace TestLocks;

/// <summary>Who holds a lock, as far as the backend can tell. Waiters and timeout messages show it. (A record on purpose:
/// a holder is a value read from a lock file, a Redis key or a PostgreSQL session, compared as one, and copied with
/// <c>with</c> by the backends that fill in what they learn.)</summary>
/// <remarks>A holder record is written by whoever can write the lock file, the Redis key or the PostgreSQL session, so
/// its text is not trusted: <see cref="Host"/>, <see cref="Owner"/> and <see cref="Note"/> keep only visible text, every
/// control character (ESC, BEL, a CSI sequence's introducer, a line break), bidi override or other invisible character
/// shown as a visible escape such as <c>\x1b</c> or <c>\u202e</c>. So no terminal, CI log or report that shows a holder
/// can be driven by it.</remarks>
/// <param name="ProcessId">The holder's process id, when known.</param>
/// <param name="Host">The holder's machine name, when known.</param>
/// <param name="Owner">What took the lock: a test name, or the caller given in <see cref="LockOptions.Owner"/>.</param>
/// <param name="Since">When the holder took the lock, when known.</param>
/// <param name="Mode">Whether the holder reads or writes.</param>
/// <param name="Note">Anything else the backend knows, for example "not a TestLocks process (oslo/fasteners?)".</param>
public sealed record LockHolder(int? ProcessId, string? Host, string? Owner, DateTimeOffset? Since, LockMode Mode, string? Note = null)
{
    private readonly string? _host = Printable.OrNull(Host);
    private readonly string? _owner = Printable.OrNull(Owner);
    private readonly string? _note = Printable.OrNull(Note);

    /// <summary>The holder's machine name, when known; visible text only.</summary>
    public string? Host { get => _host; init => _host = Printable.OrNull(value); }

    /// <summary>What took the lock: a test name, or the caller given in <see cref="LockOptions.Owner"/>; visible text only.</summary>
    public string? Owner { get => _owner; init => _owner = Printable.OrNull(value); }

    /// <summary>Anything else the backend knows; visible text only.</summary>
    public string? Note { get => _note; init => _note = Printable.OrNull(value); }

    /// <summary>The fencing token of the holder's acquire (see <see cref="LockHandle.FencingToken"/>), when the backend
    /// gives one and can tell it: a write lock on PostgreSQL or Redis.</summary>
    public long? FencingToken { get; init; }

    /// <summary>When the holder holds one slot of a counted lock or one member of a pool
    /// (<see cref="LockFactory.CreateSemaphore"/>, <see cref="LockFactory.CreatePool(string, IReadOnlyList{string}, LockOptions?)"/>):
    /// that counted lock's full name; null for a plain lock. Every process that takes a slot writes it in its holder record.</summary>
    public string? SlotOf { get => _slotOf; init => _slotOf = Printable.OrNull(value); }

    private readonly string? _slotOf;

    /// <summary>When the holder holds a slot of a counted lock: how many slots it declared for that lock (the members of a
    /// pool); null for a plain lock. Holders that declare different counts for one lock are refused
    /// (<see cref="SlotCountMismatchException"/>).</summary>
    public int? Slots { get; init; }

    /// <summary>A short description: "pid 42 on ci-3 (test MyTests.Resize) since 10:04:05Z, for 12.3s, token 17".</summary>
    public override string ToString()
    {
        var parts = new List<string>(4);
        parts.Add(ProcessId is { } pid ? $"pid {pid}" : "an unknown process");
        if (Host is not null) parts.Add($"on {Host}");
        if (Owner is not null) parts.Add($"({Owner})");
        if (Mode == LockMode.Read) parts.Add("as a reader");
        if (Since is { } since)
        {
            var held = DateTimeOffset.UtcNow - since;
            parts.Add($"since {since.UtcDateTime:HH:mm:ss}Z, for {Math.Max(0, held.TotalSeconds):0.0}s{(FencingToken is null ? "" : ",")}");
        }
        if (FencingToken is { } token) parts.Add($"token {token}");
        if (Note is not null) parts.Add($"[{Note}]");
        return string.Join(' ', parts);
    }
}
