using System.Globalization;
using System.Net;
using System.Text;

namespace TestLocks.Tool.Reports;

/// <summary>The timeline as one self-contained HTML page (inline CSS, no script, nothing fetched): a row per process
/// grouped by host, with a bar per wait (amber; red when it timed out) and per hold (blue) of each test and lock, the
/// locks that cost the most waiting, and the critical path (outlined bars, and a list).</summary>
internal static class HtmlReport
{
    private const double LaneHeight = 16;

    public static string Render(Timeline timeline, string title)
    {
        var html = new StringBuilder();
        var span = Math.Max((timeline.End - timeline.Start).TotalSeconds, 0.001);
        var bars = timeline.Bars.ToList();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{E(title)}</title>
            <style>
            body {"{"} font: 13px/1.4 system-ui, sans-serif; margin: 16px; color: #222; {"}"}
            h1 {"{"} font-size: 18px; margin: 0 0 4px; {"}"} h2 {"{"} font-size: 15px; margin: 20px 0 6px; {"}"}
            .summary {"{"} color: #555; margin-bottom: 12px; {"}"}
            .host {"{"} margin: 10px 0 2px; font-weight: 600; {"}"}
            .row {"{"} display: flex; align-items: stretch; border-top: 1px solid #eee; {"}"}
            .label {"{"} width: 260px; flex: none; padding: 2px 6px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; {"}"}
            .track {"{"} position: relative; flex: 1; background: #fafafa; {"}"}
            .bar {"{"} position: absolute; height: 12px; border-radius: 2px; min-width: 2px; box-sizing: border-box; {"}"}
            .bar.hold {"{"} background: #3b7dd8; {"}"} .bar.wait {"{"} background: #f0a030; {"}"}
            .bar.timeout, .bar.abandon {"{"} background: #d9433b; {"}"} .bar.unfinished {"{"} opacity: .5; {"}"}
            .bar.critical {"{"} outline: 2px solid #111; z-index: 1; {"}"}
            .legend span {"{"} display: inline-block; margin-right: 14px; {"}"}
            .legend i {"{"} display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; {"}"}
            table {"{"} border-collapse: collapse; {"}"} td, th {"{"} padding: 2px 10px 2px 0; text-align: left; {"}"}
            td.n {"{"} text-align: right; font-variant-numeric: tabular-nums; {"}"}
            .axis {"{"} display: flex; color: #777; font-size: 11px; {"}"} .axis .label {"{"} visibility: hidden; {"}"}
            .axis .track {"{"} background: none; height: 14px; {"}"} .tick {"{"} position: absolute; {"}"}
            </style></head><body>
            <h1>{E(title)}</h1>
            <div class="summary">{Count(timeline.Processes.Count, "process", "processes")} on {Count(timeline.Processes.Select(p => p.Host).Distinct().Count(), "host", "hosts")},
            {bars.Count(b => b.Kind == "hold")} holds, {bars.Count(b => b.Kind == "wait")} waits, {Timeline.Seconds(timeline.End - timeline.Start)} from the first event to the last
            ({timeline.Start:yyyy-MM-dd HH:mm:ss.fff}Z to {timeline.End:HH:mm:ss.fff}Z){(timeline.SkippedLines > 0 ? $"; {timeline.SkippedLines} unreadable lines skipped" : "")}.</div>
            <div class="legend"><span><i style="background:#3b7dd8"></i>hold</span><span><i style="background:#f0a030"></i>wait</span><span><i style="background:#d9433b"></i>timeout / abandoned wait</span><span><i style="outline:2px solid #111"></i>critical path</span></div>

            """);
        html.Append("<div class=\"axis\"><div class=\"label\"></div><div class=\"track\">");
        for (var i = 0; i <= 10; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"tick\" style=\"left:{i * 10}%;transform:translateX(-{i * 10}%)\">{span * i / 10:0.0}s</span>");
        }
        html.Append("</div></div>\n");
        foreach (var host in timeline.Processes.GroupBy(p => p.Host).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"host\">{E(host.Key)}</div>\n");
            foreach (var process in host.OrderBy(p => p.First))
            {
                var lanes = Lanes(process.Bars);
                var height = Math.Max(1, lanes.Count == 0 ? 1 : lanes.Values.Max() + 1) * LaneHeight + 2;
                html.Append(CultureInfo.InvariantCulture,
                    $"<div class=\"row\"><div class=\"label\" title=\"{E(process.Command)}\">{E(process.Name)}</div><div class=\"track\" style=\"height:{height:0}px\">");
                foreach (var bar in process.Bars.OrderBy(b => b.Start))
                {
                    var left = timeline.Offset(bar.Start) / span * 100;
                    var width = Math.Max(bar.Duration.TotalSeconds / span * 100, 0);
                    var classes = $"bar {bar.Kind}" + (bar.Kind == "wait" && bar.Outcome is "timeout" or "abandon" ? " " + bar.Outcome : "")
                        + (bar.Outcome == "unfinished" ? " unfinished" : "") + (bar.Critical ? " critical" : "");
                    var tip = $"{bar.Test}: {(bar.Kind == "wait" ? "waited for" : "held")} {bar.Lock} ({bar.Mode}) {Timeline.Seconds(bar.Duration)}, "
                        + $"from {timeline.Offset(bar.Start):0.000}s, {bar.Outcome}" + (bar.Holder is null ? "" : $"; held by {bar.Holder}");
                    html.Append(CultureInfo.InvariantCulture,
                        $"<div class=\"{classes}\" data-lock=\"{E(bar.Lock)}\" style=\"left:{left:0.###}%;width:{width:0.###}%;top:{lanes[bar] * LaneHeight + 2:0}px\" title=\"{E(tip)}\"></div>");
                }
                html.Append("</div></div>\n");
            }
        }

        html.Append("<h2>Locks that cost the most waiting</h2>\n<table><tr><th>lock</th><th>waiting in all</th><th>waits</th><th>longest</th><th>timeouts</th><th>held in all</th></tr>\n");
        foreach (var group in bars.GroupBy(b => b.Lock).OrderByDescending(g => g.Where(b => b.Kind == "wait").Sum(b => b.Duration.TotalSeconds)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var waits = group.Where(b => b.Kind == "wait").ToList();
            html.Append(CultureInfo.InvariantCulture,
                $"<tr class=\"cost\"><td>{E(group.Key)}</td><td class=\"n\">{waits.Sum(b => b.Duration.TotalSeconds):0.000}s</td><td class=\"n\">{waits.Count}</td>"
                + $"<td class=\"n\">{(waits.Count == 0 ? 0 : waits.Max(b => b.Duration.TotalSeconds)):0.000}s</td><td class=\"n\">{waits.Count(b => b.Outcome == "timeout")}</td>"
                + $"<td class=\"n\">{group.Where(b => b.Kind == "hold").Sum(b => b.Duration.TotalSeconds):0.000}s</td></tr>\n");
        }
        html.Append("</table>\n<h2>Critical path</h2>\n");
        if (timeline.CriticalPath.Count == 0)
        {
            html.Append("<p>No process waited for a lock another one held: the locks did not lengthen this run.</p>\n");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p>Walked back from the process that ended last: each wait, and the hold it waited for. The locks held the run up for {timeline.CriticalWaiting.TotalSeconds:0.000}s on this path (overlapping waits counted once).</p>\n<ol class=\"critical-path\">\n");
            foreach (var bar in timeline.CriticalPath)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<li>{timeline.Offset(bar.Start):0.000}s to {timeline.Offset(bar.End):0.000}s: {E(bar.Process.Name)} on {E(bar.Process.Host)}, {E(bar.Test)} {(bar.Kind == "wait" ? "waited for" : "held")} {E(bar.Lock)} ({Timeline.Seconds(bar.Duration)})</li>\n");
            }
            html.Append("</ol>\n");
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>Stacks a process's overlapping bars (several tests or threads at once) in lanes, the first free one each.</summary>
    private static Dictionary<Bar, int> Lanes(List<Bar> bars)
    {
        var ends = new List<DateTime>();
        var lanes = new Dictionary<Bar, int>();
        foreach (var bar in bars.OrderBy(b => b.Start).ThenBy(b => b.Kind == "hold" ? 1 : 0))
        {
            var lane = ends.FindIndex(end => end <= bar.Start);
            if (lane < 0) { lane = ends.Count; ends.Add(bar.End); }
            else ends[lane] = bar.End;
            lanes[bar] = lane;
        }
        return lanes;
    }

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";

    private static string E(string text) => WebUtility.HtmlEncode(Diagnostics.Printable.Line(text)); // no bidi override may reorder the page
}
