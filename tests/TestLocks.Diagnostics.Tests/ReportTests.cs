using System.Diagnostics;
using System.Text.RegularExpressions;
using TestLocks.Diagnostics.Tests.Infrastructure;

namespace TestLocks.Diagnostics.Tests;

/// <summary>testlocks report over the journals of real processes, and its page in a real headless Chromium.</summary>
public sealed class ReportTests(InstalledTool tool)
{
    [Fact]
    public async Task The_report_of_two_processes_on_one_lock_shows_each_wait_and_hold_and_the_critical_path_in_a_browser()
    {
        using var dir = new LockDir();
        var events = Path.Combine(tool.Root, $"events-{Guid.NewGuid():N}");
        var env = dir.Environment(("TESTLOCKS_EVENTS", events));
        await using (var holder = HelperProcess.StartHelper(env, "hold", "availability_zone", "write", "Aggregates.test_add_host"))
        {
            await holder.WaitForLineAsync("HELD ");
            await using var waiter = HelperProcess.StartHelper(env, "wait", "availability_zone");
            await waiter.WaitForLineAsync("BLOCKED");
            await holder.SendAsync("release");
            await waiter.WaitForLineAsync("ACQUIRED");
            Assert.Equal(0, await waiter.WaitForExitAsync());
            Assert.Equal(0, await holder.WaitForExitAsync());
        }
        var page = Path.Combine(events, "report.html");

        var (exit, output, error) = await tool.RunAsync(dir.Environment(), "report", events, "-o", page);

        Assert.True(exit == 0, error);
        Assert.Contains("(2 processes, 2 holds, 1 waits, 1 waits on the critical path)", output);
        var (dom, console) = await Chromium(page);
        Assert.Empty(console);
        Assert.Equal(3, Regex.Count(dom, "class=\"bar "));
        Assert.Equal(2, Regex.Count(dom, "class=\"bar hold"));
        Assert.Equal(1, Regex.Count(dom, "class=\"bar wait critical\""));   // the waiter's wait ...
        Assert.Equal(1, Regex.Count(dom, "class=\"bar hold critical\""));   // ... for the holder's hold
        Assert.Equal(2, Regex.Count(dom, "class=\"row\""));
        Assert.Contains("<tr class=\"cost\"><td>availability_zone</td>", dom);
        Assert.Contains("Aggregates.test_add_host held availability_zone", dom);
        Assert.DoesNotContain("http", dom.Replace("http-equiv", "", StringComparison.Ordinal)); // self-contained: nothing to fetch
    }

    /// <summary>Loads <paramref name="page"/> in Debian's headless Chromium: the DOM after load, and the console messages.</summary>
    private static async Task<(string Dom, List<string> Console)> Chromium(string page)
    {
        var info = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                     $"--user-data-dir={Directory.CreateTempSubdirectory("testlocks-chromium-").FullName}", "--dump-dom", new Uri(page).AbsoluteUri])
        {
            info.ArgumentList.Add(a);
        }
        using var chromium = Process.Start(info)!;
        var dom = chromium.StandardOutput.ReadToEndAsync();
        var stderr = chromium.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(HelperProcess.LineLimit);
        await chromium.WaitForExitAsync(limit.Token);
        Assert.True(chromium.ExitCode == 0, await stderr);
        var console = (await stderr).Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)).ToList();
        return (await dom, console);
    }
}
