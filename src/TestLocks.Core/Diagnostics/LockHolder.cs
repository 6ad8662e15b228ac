namespace TestLocks;

/// <summary>Who holds a lock, as far as the backend can tell. Waiters and timeout messages show it.</summary>
/// <param name="ProcessId">The holder's process id, when known.</param>
/// <param name="Host">The holder's machine name, when known.</param>
/// <param name="Owner">What took the lock: a test name, or the caller given in <see cref="LockOptions.Owner"/>.</param>
/// <param name="Since">When the holder took the lock, when known.</param>
/// <param name="Mode">Whether the holder reads or writes.</param>
/// <param name="Note">Anything else the backend knows, for example "not a TestLocks process (oslo/fasteners?)".</param>
public sealed record LockHolder(int? ProcessId, string? Host, string? Owner, DateTimeOffset? Since, LockMode Mode, string? Note = null)
{
    /// <summary>A short description: "pid 42 on ci-3 (test MyTests.Resize) since 10:04:05Z, for 12.3s".</summary>
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
            parts.Add($"since {since.UtcDateTime:HH:mm:ss}Z, for {Math.Max(0, held.TotalSeconds):0.0}s");
        }
        if (Note is not null) parts.Add($"[{Note}]");
        return string.Join(' ', parts);
    }
}
