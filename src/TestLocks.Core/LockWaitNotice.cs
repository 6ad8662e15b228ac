using TestLocks.Diagnostics;

namespace TestLocks;

/// <summary>An acquire is waiting: for which lock, where it lives, who holds it, and for how long so far.</summary>
/// <param name="LockName">The lock's full name, prefix included.</param>
/// <param name="Location">The lock file, or the backend and key; "this process" for in-process contention.</param>
/// <param name="Holder">The holder, when known.</param>
/// <param name="Waited">How long the acquire has waited.</param>
public sealed record LockWaitNotice(string LockName, string Location, LockHolder? Holder, TimeSpan Waited)
{
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
