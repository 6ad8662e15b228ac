using TestLocks.Diagnostics;
using TestLocks.Tool.Platform;
using TestLocks.Tool.Status;

namespace TestLocks.Tool.Commands;

/// <summary><c>testlocks status [NAME...] [--json]</c>: every lock in lock_path (or the named ones in a server backend).
/// Exit codes: 0, or <see cref="UsageExit"/> for a configuration error or a NAME that is not a lock name. Text from lock
/// files and servers (holder records, file names in lock_path) is shown as visible text only (see <see cref="Printable"/>).</summary>
internal static class StatusCommand
{
    /// <summary>The exit code of a configuration error or a NAME that is not a lock name.</summary>
    public const int UsageExit = 2;

    public static int Run(string[] names, bool json, double sampleSeconds, TextWriter output, TextWriter error)
    {
        foreach (var name in names)
        {
            if (NameProblem(name) is { } problem)
            {
                error.WriteLine($"testlocks status: {problem}");
                return UsageExit;
            }
        }
        LockInspector inspector;
        try
        {
            inspector = new LockInspector();
        }
        catch (TestLocksException e)
        {
            error.WriteLine($"testlocks status: {e.Message}");
            return UsageExit;
        }
        using var _ = inspector;
        var settings = inspector.Settings;

        // A pool's name stands for its members (each member's lock says who leases it).
        names = [.. names.SelectMany(n => settings.Pools.TryGetValue(n, out var members) ? members : [n])];
        List<LockStatus> locks;
        var where = inspector.Where;
        if (inspector.LockPath is { } folder)
        {
            try
            {
                locks = FileLocks(inspector, folder, names);
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"testlocks status: {Printable.Line(ErrorText.Of(e))}");
                return UsageExit;
            }
        }
        else
        {
            if (names.Length == 0)
            {
                error.WriteLine($"testlocks status: {where} cannot list its locks; name them: testlocks status NAME...");
            }
            locks = [.. names.Select(n => ServerLock(inspector, n))];
        }

        locks = Sample(locks, TimeSpan.FromSeconds(Math.Max(0, sampleSeconds)));
        if (json)
        {
            output.WriteLine(StatusJson.Render(locks));
        }
        else
        {
            output.WriteLine(Printable.Line(where));
            if (locks.Count == 0) output.WriteLine("  no locks");
            var width = locks.Count == 0 ? 0 : locks.Max(l => Printable.Line(l.Name).Length);
            foreach (var l in locks) output.WriteLine($"  {Printable.Line(l.Name).PadRight(width)}  {Printable.Line(Describe(l))}");
        }
        return 0;
    }

    private static List<LockStatus> FileLocks(LockInspector inspector, string folder, string[] names)
    {
        IEnumerable<string> keys;
        if (names.Length > 0)
        {
            // A name as the file is called in lock_path, or as a lock would name it (oslo's rule, with the configured prefix).
            keys = names.Select(n => IsFileName(n) && File.Exists(Path.Join(folder, n)) ? n : inspector.FullName(n)).ToList();
        }
        else if (!Directory.Exists(folder))
        {
            return [];
        }
        else
        {
            keys = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
        }
        var waiters = KernelWaiters.Read();
        return [.. keys.Select(key => FileLock(inspector, key, waiters))];
    }

    /// <summary>Why <paramref name="name"/> is not a lock name (a path: rooted, or with "." or ".." parts, which no lock
    /// name means and which must never reach outside lock_path); null when it may be one.</summary>
    internal static string? NameProblem(string name)
    {
        var parts = name.Split(OperatingSystem.IsWindows() ? ['/', '\\'] : ['/']);
        if (!Path.IsPathRooted(name) && !parts.Any(p => p is "." or "..")) return null;
        return $"'{Printable.Line(name)}' is a path, not a lock name. Give a lock's name as the tests name it (availability_zone) " +
            "or its file name in lock_path (tempest-availability_zone); testlocks status with no NAME lists every lock in lock_path.";
    }

    /// <summary>Whether <paramref name="name"/> can only be one file in a folder: no separator, not "." or "..".</summary>
    private static bool IsFileName(string name) =>
        name.Length > 0 && name is not ("." or "..") && name.IndexOfAny(OperatingSystem.IsWindows() ? ['/', '\\', '\0'] : ['/', '\0']) < 0;

    private static LockStatus FileLock(LockInspector inspector, string key, KernelWaiters waiters)
    {
        var path = inspector.Locate(key);
        if (!File.Exists(path)) return new LockStatus(key, path, "free", Error: "no such lock file (never taken here)");
        try
        {
            var holder = inspector.GetHolder(key);
            return new LockStatus(key, path, holder is null ? "free" : "held", holder, Waiters: waiters.On(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TestLocksException)
        {
            return new LockStatus(key, path, "unknown", Error: e.Message);
        }
    }

    private static LockStatus ServerLock(LockInspector inspector, string name)
    {
        var location = inspector.Locate(name);
        try
        {
            var holder = inspector.GetHolder(name);
            return holder is null
                ? new LockStatus(name, location, "unknown", Error: "not held, or the backend cannot say who holds it")
                : new LockStatus(name, location, "held", holder);
        }
        catch (TestLocksException e)
        {
            return new LockStatus(name, location, "unknown", Error: e.Message);
        }
    }

    /// <summary>Looks at every local holder twice, <paramref name="interval"/> apart, for its CPU use in between.</summary>
    private static List<LockStatus> Sample(List<LockStatus> locks, TimeSpan interval)
    {
        var activity = LockInspector.SampleActivity([.. locks.Select(l => l.Holder)], interval);
        return [.. locks.Select((l, i) => l with { Activity = activity[i] })];
    }

    private static string Describe(LockStatus l)
    {
        var text = l.State switch
        {
            "held" => $"held by {l.Holder}",
            "free" => "free",
            _ => "unknown",
        };
        if (l.Holder is { Mode: LockMode.Write } && l.State == "held") text += " [write]";
        if (l.Holder is { SlotOf: { } of, Slots: { } slots } && l.State == "held") text += $" [a slot of \"{of}\", {slots} slots]";
        if (l.Activity is { } a) text += $"; {a}";
        if (l.Waiters is > 0) text += $"; {l.Waiters} waiting";
        if (l.Error is { } e) text += $" ({e})";
        return text;
    }
}
