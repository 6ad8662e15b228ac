namespace TestLocks.Tool;

/// <summary><c>testlocks report DIR... [-o FILE]</c>: the run journal of every process and shard as one HTML timeline.
/// A line that cannot be read (not JSON, a field of the wrong kind, a number out of range) is skipped with a warning
/// on stderr that names its file and line; exit codes: 0, or 2 when there is no journal or the page cannot be written.</summary>
internal static class ReportCommand
{
    /// <summary>How many skipped lines are named one by one; the rest are counted.</summary>
    private const int NamedSkips = 20;

    public static int Run(string[] folders, string? output, string? title, TextWriter stdout, TextWriter error)
    {
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
        output ??= Path.Join(folders[0], "testlocks-report.html");
        try
        {
            File.WriteAllText(output, HtmlReport.Render(timeline, title ?? "TestLocks run timeline"));
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
