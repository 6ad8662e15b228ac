namespace TestLocks.Tool.Commands;

/// <summary>What <c>testlocks run</c> was asked to do: its options and the command.</summary>
internal sealed record RunRequest(string[] Locks, bool Read, double? TimeoutSeconds, bool TempLockPath, string[] Command)
{
    /// <summary>With a value, every lock is a counted lock of this many slots.</summary>
    public int? Slots { get; init; }

    /// <summary>Pools of the settings to lease a member of.</summary>
    public string[] Leases { get; init; } = [];
}
