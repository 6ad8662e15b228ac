using TestLocks.Tool.Reports;

namespace TestLocks.Tool.Commands;

/// <summary><c>testlocks report DIR... [--format html|trace|markdown] [-o FILE]</c>: the run journal of every process and
/// shard as one HTML timeline, a Perfetto/Chrome trace, or a Markdown summary for a CI job's page. A line that cannot be
/// read (not JSON, a field of the wrong kind, a number out of range) is skipped with a warning on stderr that names its
/// file and line; exit codes: 0, or 2 when there is no journal, the format is unknown or the output cannot be written.</summary>
internal static class ReportCommand
{
    /// <summary>How many skipped lines are named one by one; the rest are counted.</summary>
    private const int NamedSkips = 20;

    /// <summary>The formats, with the file each writes by default (null: standard output).</summary>
    public static readonly IReadOnlyDictionary<string, string?> Formats = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["html"] = "testlocks-report.html",
        ["trace"] = "testlocks-trace.json",
        ["markdown"] = null,
    };

    public static int Run(string[] folders, string? output, string? title, string format, TextWriter stdout, TextWriter error)
    {
        if (!Formats.TryGetValue(format, out var defaultFile))
        {
            error.WriteLine($"testlocks report: unknown --format '{format}'. Use html (a timeline page), trace (for ui.perfetto.dev or chrome://tracing) or markdown (a CI job summary).");
            return 2;
        }
        Timeline timeline;
        try
        {
            timeline = Timeline.Read(folders);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"testlocks report: {e.Message}");
            return 2;
        }
        foreach (var skipped in timeline.Skipped.Take(NamedSkips)) error.WriteLine($"testlocks report: warning: skipped {skipped}");
        if (timeline.Skipped.Count > NamedSkips) error.WriteLine($"testlocks report: warning: skipped {timeline.Skipped.Count - NamedSkips} more lines");
        if (timeline.Processes.Count == 0)
        {
            error.WriteLine($"testlocks report: no journal files (*.jsonl) in {string.Join(", ", folders)}. Turn the journal on for the run with " +
                "events = PATH in [testlocks] of the INI file, or TESTLOCKS_EVENTS=PATH, and give that folder.");
            return 2;
        }
        title ??= "TestLocks run timeline";
        var text = format switch
        {
            "trace" => TraceReport.Render(timeline, title),
            "markdown" => MarkdownReport.Render(timeline, title == "TestLocks run timeline" ? "TestLocks: what locks cost this run" : title),
            _ => HtmlReport.Render(timeline, title),
        };
        output ??= defaultFile is null ? null : Path.Join(folders[0], defaultFile);
        if (output is null || output == "-")
        {
            stdout.Write(text);
            return 0;
        }
        try
        {
            File.WriteAllText(output, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"testlocks report: cannot write '{output}': {e.Message}");
            return 2;
        }
        var bars = timeline.Bars.ToList();
        stdout.WriteLine($"report: {Path.GetFullPath(output)} ({timeline.Processes.Count} processes, {bars.Count(b => b.Kind == "hold")} holds, " +
            $"{bars.Count(b => b.Kind == "wait")} waits, {timeline.CriticalPath.Count(b => b.Kind == "wait")} waits on the critical path)");
        return 0;
    }
}
