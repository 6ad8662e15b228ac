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
    /// time (user + system) used by it and every process below it: live ones, and those their parents have reaped (the
    /// kernel adds those to the parent's cutime and cstime). A holder whose child does the work (<c>testlocks run -- CMD</c>,
    /// a test running a command) is working, though it sleeps itself.</summary>
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
        if (Ticks(fields) is not { } ticks) return (alive, state, null);
        return (alive, state, TimeSpan.FromSeconds((ticks + DescendantTicks(pid)) / (double)ClockTicks.PerSecond));
    }

    /// <summary>utime + stime + cutime + cstime of one /proc/PID/stat, in clock ticks.</summary>
    private static long? Ticks(string[] fields)
    {
        if (fields.Length < 15) return null;
        long total = 0;
        for (var i = 11; i <= 14; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return null;
            total += value;
        }
        return total;
    }

    /// <summary>The clock ticks of the live processes below <paramref name="pid"/> (from each thread's
    /// /proc/PID/task/TID/children); 0 when the kernel does not list children.</summary>
    private static long DescendantTicks(int pid)
    {
        long total = 0;
        var seen = new HashSet<int> { pid };
        var pending = new Stack<int>();
        PushChildren(pid, pending);
        while (pending.TryPop(out var child) && seen.Count < 4096)
        {
            if (!seen.Add(child)) continue;
            try
            {
                total += Ticks(StatFields(child)) ?? 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // it ended (and its time went to its parent)
            }
            PushChildren(child, pending);
        }
        return total;
    }

    private static void PushChildren(int pid, Stack<int> into)
    {
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task"))
            {
                foreach (var word in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var child)) into.Push(child);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the process (or a thread) ended, or the kernel does not list children: what was found counts
        }
    }
}
