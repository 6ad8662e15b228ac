using System.Globalization;
using System.Text.Json;

namespace TestLocks.Tool.Reports;

/// <summary>The events of every journal file of a run (the JSON-lines format of docs/journal.md, read here: a line that
/// cannot be read is skipped and named), as bars per process, with the locks that cost the most waiting
/// and the run's critical path.</summary>
internal sealed class Timeline
{
    public List<RunProcess> Processes { get; } = [];
    public int SkippedLines { get; private set; }

    /// <summary>Lines that could not be read: "FILE:LINE: why", in file order.</summary>
    public List<string> Skipped { get; } = [];
    public DateTime Start { get; private set; }
    public DateTime End { get; private set; }
    public List<Bar> CriticalPath { get; } = [];

    public IEnumerable<Bar> Bars => Processes.SelectMany(p => p.Bars);

    /// <summary>Reads every <c>*.jsonl</c> file under <paramref name="folders"/>.</summary>
    public static Timeline Read(IEnumerable<string> folders)
    {
        var timeline = new Timeline();
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"No events folder '{folder}'. Give the folder that events = PATH (or TESTLOCKS_EVENTS) named for the run.");
            foreach (var file in Directory.EnumerateFiles(folder, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal)) timeline.ReadFile(file);
        }
        timeline.Finish();
        return timeline;
    }

    private void ReadFile(string file)
    {
        RunProcess? process = null;
        var open = new Dictionary<(string Kind, string Lock, string Test, string Mode), Queue<Bar>>();
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (Event(line) is { } why) Skip(file, number, why);
            }
            // A journal is anyone's to write: no line may end the report.
            catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or OverflowException or FormatException or KeyNotFoundException)
            {
                Skip(file, number, $"{e.GetType().Name}: {e.Message}");
            }
        }
        if (process is null) return;
        foreach (var bar in process.Bars.Where(b => b.Outcome == "unfinished")) bar.End = process.Last;

        // Reads one line; returns why it was skipped, or null.
        string? Event(string line)
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            if (e.ValueKind != JsonValueKind.Object) return "not a JSON object";
            if (!e.TryGetProperty("time", out var t) || t.ValueKind != JsonValueKind.String || !t.TryGetDateTime(out var time)) return "no \"time\" as an ISO 8601 date";
            if (!e.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.String) return "no \"event\" string";
            time = time.ToUniversalTime();
            var kind = ev.GetString() ?? "";
            if (kind is not ("process" or "wait" or "acquire" or "release" or "timeout" or "abandon")) return $"unknown event \"{Diagnostics.Printable.Line(kind)}\"";
            if (process is null)
            {
                process = new RunProcess(file, Text(e, "host") ?? "?", e.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.Number && pid.TryGetInt32(out var p) ? p : 0,
                    Text(e, "command") ?? "") { Project = Text(e, "project") };
                Processes.Add(process);
            }
            if (time < process.First) process.First = time;
            if (time > process.Last) process.Last = time;
            if (kind == "process") return null;
            var key = (Kind: "", Lock: Text(e, "lock") ?? "?", Test: Text(e, "test") ?? "?", Mode: Text(e, "mode") ?? "write");
            Bar? Take(string barKind)
            {
                return open.TryGetValue(key with { Kind = barKind }, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;
            }
            void Open(string barKind)
            {
                var bar = new Bar(process, barKind, key.Lock, key.Mode, key.Test, time) { Holder = Text(e, "holder") };
                process.Bars.Add(bar);
                var k = key with { Kind = barKind };
                if (!open.TryGetValue(k, out var queue)) open[k] = queue = new Queue<Bar>();
                queue.Enqueue(bar);
            }
            switch (kind)
            {
                case "wait":
                    Open("wait");
                    break;
                case "acquire":
                    if (Take("wait") is { } waited) { waited.End = time; waited.Outcome = "acquired"; }
                    Open("hold");
                    break;
                case "release":
                    if (Take("hold") is { } held) { held.End = time; held.Outcome = "released"; }
                    break;
                case "timeout" or "abandon":
                    if (Take("wait") is not { } failed)
                    {
                        // An acquire whose one try came after its time was up: the wait is known from its length.
                        var seconds = e.TryGetProperty("waited", out var w) && w.ValueKind == JsonValueKind.Number && w.TryGetDouble(out var s) ? s : 0;
                        if (!(seconds >= 0 && seconds <= MaxSeconds)) return $"\"waited\": {seconds} is not a number of seconds from 0 to {MaxSeconds}";
                        failed = new Bar(process, "wait", key.Lock, key.Mode, key.Test, time - TimeSpan.FromSeconds(seconds));
                        process.Bars.Add(failed);
                    }
                    failed.End = time;
                    failed.Outcome = kind;
                    failed.Holder ??= Text(e, "holder");
                    break;
            }
            return null;
        }
    }

    /// <summary>The longest wait a journal line may state: a year.</summary>
    private const double MaxSeconds = 366 * 24 * 3600;

    private void Skip(string file, int line, string why)
    {
        SkippedLines++;
        Skipped.Add($"{Diagnostics.Printable.Line(file)}:{line}: {Diagnostics.Printable.Line(why)}");
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private void Finish()
    {
        if (Processes.Count == 0) return;
        Start = Processes.Min(p => p.First);
        End = Processes.Max(p => p.Last);
        FindCriticalPath();
    }

    /// <summary>The run's critical path, walked back from the process that ended last: its last wait that ended in an
    /// acquire, then the hold that process waited for (the release of the same lock just before), then the waits of that
    /// holder's process before the release, and so on. Every bar on it is marked <see cref="Bar.Critical"/>.</summary>
    private void FindCriticalPath()
    {
        var slack = TimeSpan.FromMilliseconds(50);
        var process = Processes.MaxBy(p => p.Last)!;
        var at = process.Last;
        for (var step = 0; step < 1000; step++)
        {
            var wait = process.Bars.Where(b => b.Kind == "wait" && b.Outcome == "acquired" && b.End <= at && b.Duration > TimeSpan.FromMilliseconds(1))
                .MaxBy(b => b.End);
            if (wait is null) break;
            var hold = Bars.Where(b => b.Kind == "hold" && b.Lock == wait.Lock && b.Outcome == "released" && b != wait
                    && b.End <= wait.End + slack && b.End >= wait.Start && !(b.Process == wait.Process && b.Test == wait.Test))
                .MaxBy(b => b.End);
            wait.Critical = true;
            CriticalPath.Add(wait);
            if (hold is null || hold.Critical) break;
            hold.Critical = true;
            CriticalPath.Add(hold);
            process = hold.Process;
            at = hold.Start;
        }
        CriticalPath.Reverse();
    }

    /// <summary>How long the run was held up by locks along its critical path: the time covered by the path's waits, each
    /// moment counted once however many of its waits overlap it.</summary>
    public TimeSpan CriticalWaiting => Covered(CriticalPath.Where(b => b.Kind == "wait"));

    /// <summary>The time covered by <paramref name="bars"/>, overlaps counted once.</summary>
    public static TimeSpan Covered(IEnumerable<Bar> bars)
    {
        var total = TimeSpan.Zero;
        DateTime? start = null, end = null;
        foreach (var bar in bars.Where(b => b.End > b.Start).OrderBy(b => b.Start))
        {
            if (end is { } e && bar.Start <= e)
            {
                if (bar.End > e) end = bar.End;
                continue;
            }
            if (start is { } s0) total += end!.Value - s0;
            (start, end) = (bar.Start, bar.End);
        }
        if (start is { } last) total += end!.Value - last;
        return total;
    }

    /// <summary>Seconds from the start of the run.</summary>
    public double Offset(DateTime time) => (time - Start).TotalSeconds;

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s";
}
