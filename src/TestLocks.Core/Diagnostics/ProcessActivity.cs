using System.Diagnostics;
using TestLocks.Platform;

namespace TestLocks.Diagnostics;

/// <summary>Looks at a holder's process on this host, one look per wait notice: alive or not, its state, and the CPU time
/// it used since the previous look, as <see cref="ProcessState"/> tells. One instance follows one wait; it is called from one notice at a time.</summary>
internal sealed class ProcessActivity
{
    private int _pid;
    private TimeSpan? _cpu;
    private long _at;

    /// <summary>What <paramref name="holder"/> has done since the previous look; null when nothing is known of it.</summary>
    public HolderActivity? Look(LockHolder? holder)
    {
        if (holder?.ProcessId is not { } pid) return null;
        if (holder.Host is { } host && !string.Equals(host, ThisProcess.Host, StringComparison.Ordinal)) return new HolderActivity(null, null, null, TimeSpan.Zero);
        var now = Stopwatch.GetTimestamp();
        var (alive, state, cpu) = ProcessState.Read(pid);
        var previous = pid == _pid ? _cpu : null;
        var interval = pid == _pid && _at != 0 ? Stopwatch.GetElapsedTime(_at, now) : TimeSpan.Zero;
        (_pid, _cpu, _at) = (pid, cpu, now);
        // A process that left the holder's tree unreaped (handed to init) takes its time with it: never below zero.
        var used = previous is { } before && cpu is { } after && interval > TimeSpan.Zero ? (after > before ? after - before : TimeSpan.Zero) : (TimeSpan?)null;
        return new HolderActivity(alive, state, used, interval);
    }
}
