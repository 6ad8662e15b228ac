namespace TestLocks.Tool;

/// <summary><c>testlocks report DIR... [-o FILE]</c>: the run journal of every process and shard as one HTML timeline.</summary>
internal static class ReportCommand
{
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
