using TestLocks.Diagnostics;

namespace TestLocks;

/// <summary>An acquire is waiting: for which lock, where it lives, who holds it, and for how long so far.</summary>
public sealed class LockWaitNotice
{
    /// <summary>Creates a notice.</summary>
    /// <param name="lockName">See <see cref="LockName"/>.</param>
    /// <param name="location">See <see cref="Location"/>.</param>
    /// <param name="holder">See <see cref="Holder"/>.</param>
    /// <param name="waited">See <see cref="Waited"/>.</param>
    public LockWaitNotice(string lockName, string location, LockHolder? holder, TimeSpan waited)
    {
        LockName = lockName;
        Location = location;
        Holder = holder;
        Waited = waited;
    }

    /// <summary>The lock's full name, prefix included.</summary>
    public string LockName { get; }

    /// <summary>The lock file, or the backend and key; "this process" for in-process contention.</summary>
    public string Location { get; }

    /// <summary>The holder, when known.</summary>
    public LockHolder? Holder { get; }

    /// <summary>How long the acquire has waited.</summary>
    public TimeSpan Waited { get; }

    /// <summary>Whether the holder's process is alive and how much CPU time it used since the previous notice of this
    /// wait, when the holder runs on this host; null when no process is known.</summary>
    public HolderActivity? Activity { get; init; }

    /// <summary>When the holder is a test of this process that itself waits, down a chain of holders, for a lock this
    /// waiter holds: each link of that cycle ("A waits for "x", held by B"), first this waiter's; null otherwise. Such a
    /// wait ends only by lock_timeout (or cancellation).</summary>
    public IReadOnlyList<string>? Deadlock { get; init; }

    /// <summary>For a counted lock or a pool (<see cref="CountedLock"/>): how many slots it has; null for a plain lock.</summary>
    public int? Slots { get; init; }

    /// <summary>For a counted lock or a pool: who holds each busy slot, one entry per slot (the slot or member is named in
    /// its <see cref="LockHolder.Note"/>); null for a plain lock, whose holder is <see cref="Holder"/>.</summary>
    public IReadOnlyList<LockHolder>? Holders { get; init; }

    /// <summary>"Waiting for lock "tempest-az" (/tmp/l/tempest-az) for 30.0s, held by pid 42 (MyTests.Resize) since ...;
    /// alive (sleeping), 0.42s CPU in the last 10.0s". Visible text only: the holder's text is made safe by
    /// <see cref="LockHolder"/>, the name and location here (a file name in lock_path is anyone's to choose).</summary>
    public override string ToString() => Holders is { } holders
        ? $"Waiting for \"{Printable.Line(LockName)}\" ({Printable.Line(Location)}) for {Waited.TotalSeconds:0.0}s: {holders.Count} of {Slots} slots held by "
          + (holders.Count == 0 ? "nobody now (a slot is being handed over)" : string.Join("; ", holders))
        : $"Waiting for lock \"{Printable.Line(LockName)}\" ({Printable.Line(Location)}) for {Waited.TotalSeconds:0.0}s, held by {Holder?.ToString() ?? "an unknown holder"}"
        + (Activity is null ? "" : "; " + Activity)
        + (Deadlock is null ? "" : $"; DEADLOCK in this process: {string.Join("; ", Deadlock.Select(Printable.Line))}. None of them can go on until lock_timeout ends a wait: take the locks in one order in every test");
}
