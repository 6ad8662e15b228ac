using System.Text.Encodings.Web;
using System.Text.Json;
using TestLocks.Backends;
using TestLocks.Diagnostics;
using TestLocks.Files;

namespace TestLocks.Tool;

/// <summary><c>testlocks status [NAME...] [--json]</c>: every lock in lock_path (or the named ones in a server backend).</summary>
internal static class StatusCommand
{
    public static int Run(string[] names, bool json, double sampleSeconds, TextWriter output, TextWriter error)
    {
        TestLocksSettings settings;
        LockBackend backend;
        try
        {
            settings = TestLocksSettings.Load();
            backend = BackendResolver.Create(settings);
        }
        catch (TestLocksException e)
        {
            error.WriteLine($"testlocks status: {e.Message}");
            return 2;
        }

        List<LockStatus> locks;
        string where;
        if (backend is FileLockBackend files)
        {
            where = $"lock_path {files.LockPath} ({settings.OriginOf(nameof(TestLocksSettings.LockPath))})";
            locks = FileLocks(files, settings, names);
        }
        else
        {
            where = $"backend_url {BackendResolver.Mask(settings.BackendUrl!)} ({settings.OriginOf(nameof(TestLocksSettings.BackendUrl))})";
            if (names.Length == 0)
            {
                error.WriteLine($"testlocks status: {where} cannot list its locks; name them: testlocks status NAME...");
            }
            locks = [.. names.Select(n => ServerLock(backend, n))];
        }

        locks = Sample(locks, TimeSpan.FromSeconds(Math.Max(0, sampleSeconds)));
        if (json)
        {
            output.WriteLine(Json(locks));
        }
        else
        {
            output.WriteLine(where);
            if (locks.Count == 0) output.WriteLine("  no locks");
            var width = locks.Count == 0 ? 0 : locks.Max(l => l.Name.Length);
            foreach (var l in locks) output.WriteLine($"  {l.Name.PadRight(width)}  {Describe(l)}");
        }
        return 0;
    }

    private static List<LockStatus> FileLocks(FileLockBackend backend, TestLocksSettings settings, string[] names)
    {
        var folder = backend.LockPath;
        IEnumerable<string> keys;
        if (names.Length > 0)
        {
            // A name as the file is called, or as a lock would name it with the configured prefix.
            keys = names.Select(n => File.Exists(Path.Join(folder, n)) || settings.LockFilePrefix is null ? n : Naming.LockFileName.Build(n, settings.LockFilePrefix));
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
        return [.. keys.Select(key => FileLock(backend, key, waiters))];
    }

    private static LockStatus FileLock(FileLockBackend backend, string key, KernelWaiters waiters)
    {
        var path = backend.Describe(key);
        if (!File.Exists(path)) return new LockStatus(key, path, "free", Error: "no such lock file (never taken here)");
        try
        {
            var holder = backend.GetHolderAsync(key, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return new LockStatus(key, path, holder is null ? "free" : "held", holder, Waiters: waiters.On(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TestLocksException)
        {
            return new LockStatus(key, path, "unknown", Error: e.Message);
        }
    }

    private static LockStatus ServerLock(LockBackend backend, string name)
    {
        var location = backend.Describe(name);
        try
        {
            var holder = backend.GetHolderAsync(name, CancellationToken.None).AsTask().GetAwaiter().GetResult();
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
        var looks = locks.Select(l => (Status: l, Activity: new ProcessActivity())).ToList();
        foreach (var (status, activity) in looks) activity.Look(status.Holder);
        if (interval > TimeSpan.Zero && locks.Any(l => l.Holder?.ProcessId is not null)) Thread.Sleep(interval);
        return [.. looks.Select(x => x.Status with { Activity = x.Activity.Look(x.Status.Holder) })];
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
        if (l.Activity is { } a) text += $"; {a}";
        if (l.Waiters is > 0) text += $"; {l.Waiters} waiting";
        if (l.Error is { } e) text += $" ({e})";
        return text;
    }

    private static string Json(List<LockStatus> locks)
    {
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, options))
        {
            json.WriteStartArray();
            foreach (var l in locks)
            {
                json.WriteStartObject();
                json.WriteString("lock", l.Name);
                json.WriteString("location", l.Location);
                json.WriteString("state", l.State);
                if (l.Holder is { } h)
                {
                    json.WriteString("mode", h.Mode == LockMode.Read ? "read" : "write");
                    if (h.ProcessId is { } pid) json.WriteNumber("pid", pid); else json.WriteNull("pid");
                    json.WriteString("host", h.Host);
                    json.WriteString("test", h.Owner);
                    if (h.Since is { } since) json.WriteString("since", since.UtcDateTime); else json.WriteNull("since");
                    json.WriteString("note", h.Note);
                }
                if (l.Activity is { } a)
                {
                    if (a.Alive is { } alive) json.WriteBoolean("alive", alive); else json.WriteNull("alive");
                    json.WriteString("process_state", a.State);
                    if (a.CpuTime is { } cpu) json.WriteNumber("cpu_seconds", Math.Round(cpu.TotalSeconds, 3)); else json.WriteNull("cpu_seconds");
                    json.WriteNumber("cpu_interval_seconds", Math.Round(a.Interval.TotalSeconds, 3));
                }
                if (l.Waiters is { } w) json.WriteNumber("waiters", w); else json.WriteNull("waiters");
                if (l.Error is { } e) json.WriteString("error", e);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
