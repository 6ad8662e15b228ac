using System.Globalization;
using System.Text;

namespace TestLocks.Tool.Reports;

/// <summary>
/// A short Markdown summary of a run's locks for a CI job's summary page (<c>$GITHUB_STEP_SUMMARY</c>, a GitLab or Azure
/// Pipelines Markdown report): what the locks cost the run (the critical path's waiting, each moment once), the locks
/// that cost the most waiting, the longest waits with their holders, and the timeouts. At most a few dozen lines.
/// </summary>
internal static class MarkdownReport
{
    private const int Rows = 5;

    public static string Render(Timeline timeline, string title)
    {
        var md = new StringBuilder();
        var bars = timeline.Bars.ToList();
        var waits = bars.Where(b => b.Kind == "wait").ToList();
        md.AppendLine(CultureInfo.InvariantCulture, $"### {Cell(title)}");
        md.AppendLine();
        md.AppendLine(
            $"{timeline.Processes.Count} test processes on {timeline.Processes.Select(p => p.Host).Distinct().Count()} hosts, " +
            $"{bars.Count(b => b.Kind == "hold")} holds, {waits.Count} waits, {S(timeline.End - timeline.Start)} from the first lock event to the last. " +
            (timeline.CriticalPath.Count == 0
                ? "No test waited for a lock another one held on the run's critical path: the locks did not lengthen this run."
                : $"**The locks held the run up for {S(timeline.CriticalWaiting)}** (waits on the critical path, each moment once)."));
        md.AppendLine();
        if (waits.Count == 0) return md.ToString();

        md.AppendLine("| lock | waiting in all | waits | longest | timeouts |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var group in waits.GroupBy(b => b.Lock).OrderByDescending(g => g.Sum(b => b.Duration.Ticks)).ThenBy(g => g.Key, StringComparer.Ordinal).Take(Rows))
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| `{Code(group.Key)}` | {S(TimeSpan.FromTicks(group.Sum(b => b.Duration.Ticks)))} | {group.Count()} | {S(group.Max(b => b.Duration))} | {group.Count(b => b.Outcome == "timeout")} |");
        }
        md.AppendLine();
        md.AppendLine("| longest waits | lock | waited | held by |");
        md.AppendLine("|---|---|---:|---|");
        foreach (var wait in waits.OrderByDescending(b => b.Duration).Take(Rows))
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Cell(wait.Test)} ({Cell(wait.Process.Name)}) | `{Code(wait.Lock)}` | {S(wait.Duration)}{(wait.Outcome is "timeout" or "abandon" ? " " + wait.Outcome : "")} | {Cell(Cut(wait.Holder ?? ""))} |");
        }
        var timeouts = waits.Where(b => b.Outcome == "timeout").ToList();
        if (timeouts.Count > 0)
        {
            md.AppendLine();
            md.AppendLine($"**{timeouts.Count} timeouts:** " +
                string.Join("; ", timeouts.Take(Rows).Select(b => $"{Cell(b.Test)} gave up on `{Code(b.Lock)}` after {S(b.Duration)}" + (b.Holder is null ? "" : $", held by {Cell(b.Holder)}")))
                + (timeouts.Count > Rows ? "; ..." : "") + ".");
        }
        if (timeline.CriticalPath.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("<details><summary>Critical path</summary>");
            md.AppendLine();
            foreach (var bar in timeline.CriticalPath.Take(20))
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"1. {timeline.Offset(bar.Start):0.000}s: {Cell(bar.Test)} ({Cell(bar.Process.Name)}) {(bar.Kind == "wait" ? "waited for" : "held")} `{Code(bar.Lock)}` {S(bar.Duration)}");
            }
            md.AppendLine();
            md.AppendLine("</details>");
        }
        return md.ToString();
    }

    /// <summary>A holder as the wait saw it, cut to fit a table cell (the HTML page and the trace keep it whole).</summary>
    private static string Cut(string text) => text.Length <= 160 ? text : string.Concat(text.AsSpan(0, 157), "...");

    private static string S(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    /// <summary>Text from a journal, safe in a Markdown table cell: no pipes, line breaks, HTML or control characters.</summary>
    private static string Cell(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c)).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("`", "'", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string Code(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c)).Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
}
