using System.Globalization;

namespace TestLocks.Platform.Linux;

/// <summary>
/// What Linux tells of processes through <c>/proc</c>: a process's state, CPU time, parent and command line, and where
/// a process's standard output goes. Every <c>/proc</c> path TestLocks reads outside the lock files
/// (<see cref="OfdLockFiles"/>) is here. Callers check <see cref="OperatingSystem.IsLinux"/> first.
/// </summary>
internal static class ProcFs
{
    /// <summary>The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses): state is
    /// the first, the parent's pid the second, utime and stime the 12th and 13th, in clock ticks.</summary>
    /// <exception cref="IOException">No such process (in this pid namespace).</exception>
    public static string[] StatFields(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var end = text.LastIndexOf(')');
        return end < 0 ? [] : text[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The parent of process <paramref name="pid"/> (0 for the first process of a pid namespace).</summary>
    /// <exception cref="IOException">No such process.</exception>
    public static int ParentOf(int pid) => int.Parse(StatFields(pid)[1], NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The command line (<c>argv</c>) of process <paramref name="pid"/>, from /proc/PID/cmdline.</summary>
    /// <exception cref="IOException">No such process.</exception>
    public static string[] CommandLine(int pid) => File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0');

    /// <summary>A path that opens the standard output of process <paramref name="pid"/> anew (/proc/PID/fd/1) when that
    /// output is a pipe; null when it is anything else.</summary>
    public static string? OutputPipe(int pid)
    {
        var path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd/1";
        return new FileInfo(path).LinkTarget is { } target && target.StartsWith("pipe:", StringComparison.Ordinal) ? path : null;
    }

    /// <summary>A path that opens this process's standard output anew (/proc/self/fd/1) when that output is a pipe or a
    /// terminal; null when it is anything else (a file, whose offset must be shared) or cannot be told.</summary>
    public static string? OwnOutputPipeOrTerminal()
    {
        const string path = "/proc/self/fd/1";
        try
        {
            return new FileInfo(path).LinkTarget is { } target
                && (target.StartsWith("pipe:", StringComparison.Ordinal) || target.StartsWith("/dev/pts/", StringComparison.Ordinal)
                    || target.StartsWith("/dev/tty", StringComparison.Ordinal))
                ? path
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether process <paramref name="pid"/> is alive, its state as /proc/PID/stat says, in words, and the CPU
    /// time it has used (utime + stime).</summary>
    public static (bool Alive, string? State, TimeSpan? Cpu) ProcessState(int pid)
    {
        string[] fields;
        try
        {
            fields = StatFields(pid);
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
