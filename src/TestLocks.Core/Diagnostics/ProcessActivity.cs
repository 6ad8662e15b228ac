using System.Diagnostics;
using System.Globalization;

namespace TestLocks.Diagnostics;

/// <summary>Looks at a holder's process on this host, one look per wait notice: alive or not, its state, and the CPU time
/// it used since the previous look. On Linux both come from <c>/proc/PID/stat</c> (state, utime + stime); elsewhere
/// from <see cref="Process"/>. One instance follows one wait; it is called from one notice at a time.</summary>
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
        var (alive, state, cpu) = Read(pid);
        var previous = pid == _pid ? _cpu : null;
        var interval = pid == _pid && _at != 0 ? Stopwatch.GetElapsedTime(_at, now) : TimeSpan.Zero;
        (_pid, _cpu, _at) = (pid, cpu, now);
        var used = previous is { } before && cpu is { } after && interval > TimeSpan.Zero ? after - before : (TimeSpan?)null;
        return new HolderActivity(alive, state, used, interval);
    }

    private static (bool Alive, string? State, TimeSpan? Cpu) Read(int pid)
    {
        if (OperatingSystem.IsLinux()) return ReadProc(pid);
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? (false, null, null) : (true, null, process.TotalProcessorTime);
        }
#pragma warning disable CA1031 // diagnostics only: a process that cannot be looked at is reported as unknown
        catch (Exception e) when (e is ArgumentException)
        {
            return (false, null, null);
        }
        catch (Exception)
        {
            return (true, null, null);
        }
#pragma warning restore CA1031
    }

    /// <summary>The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses): state is
    /// the first, the parent's pid the second, utime and stime the 12th and 13th, in clock ticks.</summary>
    /// <exception cref="IOException">No such process (in this pid namespace).</exception>
    internal static string[] ProcStatFields(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var end = text.LastIndexOf(')');
        return end < 0 ? [] : text[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static (bool Alive, string? State, TimeSpan? Cpu) ReadProc(int pid)
    {
        string[] fields;
        try
        {
            fields = ProcStatFields(pid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (false, null, null); // no such process (in this pid namespace)
        }
        if (fields.Length < 13) return (true, null, null);
        var state = fields[0] switch
        {
            "R" => "running",
            "S" => "sleeping",
            "D" => "disk sleep",
            "T" or "t" => "stopped",
            "Z" => "zombie",
            "X" or "x" => "dead",
            "I" => "idle",
            var other => other,
        };
        var alive = state is not ("zombie" or "dead");
        if (!long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime))
        {
            return (alive, state, null);
        }
        return (alive, state, TimeSpan.FromSeconds((utime + stime) / (double)ClockTicks.PerSecond));
    }
}
