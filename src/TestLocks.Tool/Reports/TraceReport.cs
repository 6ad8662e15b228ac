using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TestLocks.Tool.Reports;

/// <summary>
/// The timeline in Chrome's Trace Event Format (the JSON object form), which ui.perfetto.dev and chrome://tracing open:
/// a process track per test process, named by its test project, host and pid; a thread track per test (a test whose
/// bars would not nest gets a second track); a slice per wait ("wait for LOCK") and per hold ("hold LOCK"), with the
/// lock, the mode, the outcome and the holder seen as arguments; and a flow arrow from each release to the wait it
/// ended (the next holder's acquire of that lock). Times are microseconds from the first event of the run.
/// </summary>
internal static class TraceReport
{
    private static readonly TimeSpan HandoffSlack = TimeSpan.FromMilliseconds(50);

    public static string Render(Timeline timeline, string title)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("displayTimeUnit", "ms");
            json.WriteStartObject("otherData");
            json.WriteString("title", title);
            json.WriteString("start", timeline.Start.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("generator", "testlocks report --format trace");
            json.WriteEndObject();
            json.WriteStartArray("traceEvents");
            var tracks = new Dictionary<Bar, (int Pid, int Tid)>();
            var pid = 0;
            foreach (var process in timeline.Processes.OrderBy(p => p.Host, StringComparer.Ordinal).ThenBy(p => p.First))
            {
                pid++; // a pid of the trace's own: two hosts may have run processes with one pid
                Metadata(json, "process_name", pid, null, $"{process.Name} on {process.Host}");
                Metadata(json, "process_sort_index", pid, null, pid);
                var tid = 0;
                foreach (var test in process.Bars.GroupBy(b => b.Test).OrderBy(g => g.Min(b => b.Start)))
                {
                    var lanes = NestedLanes(test);
                    for (var lane = 0; lane < lanes.Count; lane++)
                    {
                        tid++;
                        Metadata(json, "thread_name", pid, tid, lane == 0 ? test.Key : $"{test.Key} ({lane + 1})");
                        foreach (var bar in lanes[lane]) tracks[bar] = (pid, tid);
                    }
                }
            }
            foreach (var (bar, (p, t)) in tracks.OrderBy(kv => kv.Key.Start))
            {
                json.WriteStartObject();
                json.WriteString("name", (bar.Kind == "wait" ? "wait for " : "hold ") + bar.Lock);
                json.WriteString("cat", bar.Kind);
                json.WriteString("ph", "X");
                json.WriteNumber("ts", Micros(timeline, bar.Start));
                json.WriteNumber("dur", Math.Max(0, Math.Round(bar.Duration.TotalMicroseconds, 3)));
                json.WriteNumber("pid", p);
                json.WriteNumber("tid", t);
                json.WriteStartObject("args");
                json.WriteString("lock", bar.Lock);
                json.WriteString("mode", bar.Mode);
                json.WriteString("test", bar.Test);
                json.WriteString("outcome", bar.Outcome);
                if (bar.Holder is not null) json.WriteString("holder", bar.Holder);
                if (bar.Critical) json.WriteBoolean("critical_path", true);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            var flow = 0;
            foreach (var (wait, hold) in Handoffs(timeline))
            {
                flow++;
                // The arrow leaves the hold at its last microsecond and lands at the end of the wait it ended.
                var (hp, ht) = tracks[hold];
                var (wp, wt) = tracks[wait];
                Flow(json, "s", flow, hp, ht, Math.Max(Micros(timeline, hold.Start), Micros(timeline, hold.End) - 1), wait.Lock);
                Flow(json, "f", flow, wp, wt, Micros(timeline, wait.End), wait.Lock);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Each wait that ended in an acquire, with the release that ended it: the hold of the same lock by another
    /// test that ended last before the acquire (within a little slack), while the wait lasted.</summary>
    public static IEnumerable<(Bar Wait, Bar Hold)> Handoffs(Timeline timeline)
    {
        var holds = timeline.Bars.Where(b => b.Kind == "hold" && b.Outcome == "released").ToLookup(b => b.Lock);
        foreach (var wait in timeline.Bars.Where(b => b.Kind == "wait" && b.Outcome == "acquired"))
        {
            var hold = holds[wait.Lock].Where(h => h.End <= wait.End + HandoffSlack && h.End >= wait.Start
                    && !(h.Process == wait.Process && h.Test == wait.Test))
                .MaxBy(h => h.End);
            if (hold is not null) yield return (wait, hold);
        }
    }

    /// <summary>Splits one test's bars into tracks on which every two bars either nest or do not overlap, as the format
    /// needs of the slices of one thread: the first track that fits, else a new one.</summary>
    private static List<List<Bar>> NestedLanes(IEnumerable<Bar> bars)
    {
        var lanes = new List<List<Bar>>();
        var open = new List<Stack<Bar>>();
        foreach (var bar in bars.OrderBy(b => b.Start).ThenByDescending(b => b.End))
        {
            var placed = false;
            for (var i = 0; i < lanes.Count && !placed; i++)
            {
                var stack = open[i];
                while (stack.Count > 0 && stack.Peek().End <= bar.Start) stack.Pop();
                if (stack.Count > 0 && stack.Peek().End < bar.End) continue; // would cross the open slice
                stack.Push(bar);
                lanes[i].Add(bar);
                placed = true;
            }
            if (placed) continue;
            lanes.Add([bar]);
            open.Add(new Stack<Bar>([bar]));
        }
        return lanes;
    }

    private static double Micros(Timeline timeline, DateTime time) => Math.Round((time - timeline.Start).TotalMicroseconds, 3);

    private static void Metadata(Utf8JsonWriter json, string name, int pid, int? tid, object value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", pid);
        if (tid is { } t) json.WriteNumber("tid", t);
        json.WriteStartObject("args");
        if (value is int sort) json.WriteNumber("sort_index", sort);
        else json.WriteString("name", (string)value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Flow(Utf8JsonWriter json, string phase, int id, int pid, int tid, double ts, string lockName)
    {
        json.WriteStartObject();
        json.WriteString("name", "handoff " + lockName);
        json.WriteString("cat", "handoff");
        json.WriteString("ph", phase);
        json.WriteNumber("id", id);
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteNumber("ts", ts);
        if (phase == "f") json.WriteString("bp", "e"); // bind to the slice that encloses the arrow's end: the wait
        json.WriteEndObject();
    }
}
