using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TestLocks.Diagnostics.Tests.Infrastructure;

namespace TestLocks.Diagnostics.Tests;

/// <summary>
/// testlocks report's Perfetto trace and Markdown summary, over a journal whose answers are known: three test projects
/// on one lock, "Deploy" holding it 0-4 s, "Api" waiting 1-4 s and holding 4-8 s, "Ui" waiting 2-8 s and holding 8-9 s.
/// The run was held up from 1 s to 8 s: 7 s, though the waits on its critical path add up to 9 s.
/// </summary>
public sealed class ReportFormatsTests(InstalledTool tool)
{
    private static readonly DateTime T0 = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_CI_summary_in_Markdown_says_how_long_the_locks_held_the_run_up_counting_overlapping_waits_once()
    {
        var events = KnownJournal();

        var (exit, output, error) = await tool.RunAsync(new Dictionary<string, string>(), "report", events, "--format", "markdown");

        Assert.True(exit == 0, error);
        Assert.Contains("3 test processes on 1 hosts, 3 holds, 2 waits", output);
        Assert.Contains("**The locks held the run up for 7.0s**", output);
        Assert.Contains("| `tempest-az` | 9.0s | 2 | 6.0s | 0 |", output);
        Assert.Contains("| Ui.Tests.Resize (Ui, pid 30) | `tempest-az` | 6.0s | pid 20 (Api.Tests.Create) |", output);
        Assert.True(output.Split('\n').Length < 40, output);
    }

    [Fact]
    public async Task The_HTML_timeline_names_each_process_by_its_test_project_and_counts_overlapping_waits_once()
    {
        var events = KnownJournal();
        var page = Path.Combine(events, "report.html");

        var (exit, _, error) = await tool.RunAsync(new Dictionary<string, string>(), "report", events, "-o", page);

        Assert.True(exit == 0, error);
        var html = await File.ReadAllTextAsync(page);
        Assert.Contains(">Deploy, pid 10<", html);
        Assert.Contains(">Ui, pid 30<", html);
        Assert.Contains("held the run up for 7.000s on this path", html);
    }

    [Fact]
    public async Task A_Perfetto_trace_has_a_track_per_test_project_slices_for_waits_and_holds_and_an_arrow_from_each_release_to_the_waiter_it_woke()
    {
        var events = KnownJournal();
        var trace = Path.Combine(events, "run.json");

        var (exit, output, error) = await tool.RunAsync(new Dictionary<string, string>(), "report", events, "--format", "trace", "-o", trace);

        Assert.True(exit == 0, error);
        Assert.Contains("run.json", output);
        // An independent reader: Python's json module and the format's rules (Trace Event Format, JSON object form).
        var check = await Python(TraceChecker, trace);
        Assert.True(check.Exit == 0, check.Output + check.Error);
        Assert.Equal(
            "processes: Api, pid 20 on ci-1 | Deploy, pid 10 on ci-1 | Ui, pid 30 on ci-1\n" +
            "slices: hold tempest-az 0-4000000 | hold tempest-az 4000000-8000000 | hold tempest-az 8000000-9000000 | wait for tempest-az 1000000-4000000 | wait for tempest-az 2000000-8000000\n" +
            "flows: 2 (Deploy -> Api, Api -> Ui)\n", check.Output);
    }

    /// <summary>Checks a trace by the Trace Event Format's rules and prints what it holds, sorted.</summary>
    private const string TraceChecker = """
        import json, sys
        doc = json.load(open(sys.argv[1]))
        assert isinstance(doc, dict) and isinstance(doc["traceEvents"], list), "JSON object form with traceEvents"
        names, threads, slices, flows = {}, {}, [], {}
        for e in doc["traceEvents"]:
            ph = e["ph"]; assert isinstance(e["pid"], int), e
            if ph == "M":
                assert e["name"] in ("process_name", "process_sort_index", "thread_name"), e
                if e["name"] == "process_name": names[e["pid"]] = e["args"]["name"]
                if e["name"] == "thread_name": threads[(e["pid"], e["tid"])] = e["args"]["name"]
            elif ph == "X":
                assert isinstance(e["ts"], (int, float)) and e["dur"] >= 0 and isinstance(e["tid"], int) and e["name"], e
                slices.append(e)
            elif ph in ("s", "f"):
                flows.setdefault(e["id"], {})[ph] = e
            else:
                raise AssertionError("unexpected phase %r" % ph)
        for s in slices:
            assert s["pid"] in names and (s["pid"], s["tid"]) in threads, "every slice on a named process and thread"
        # Slices of one thread nest or do not overlap.
        by_thread = {}
        for s in slices: by_thread.setdefault((s["pid"], s["tid"]), []).append(s)
        for ss in by_thread.values():
            ss.sort(key=lambda s: (s["ts"], -s["dur"])); stack = []
            for s in ss:
                while stack and stack[-1]["ts"] + stack[-1]["dur"] <= s["ts"]: stack.pop()
                assert not stack or s["ts"] + s["dur"] <= stack[-1]["ts"] + stack[-1]["dur"], "crossing slices on one thread"
                stack.append(s)
        def inside(ev):
            return [s for s in by_thread.get((ev["pid"], ev["tid"]), []) if s["ts"] <= ev["ts"] <= s["ts"] + s["dur"]]
        pairs = []
        for fid, f in flows.items():
            assert set(f) == {"s", "f"}, "flow %s has a start and an end" % fid
            assert f["s"]["ts"] <= f["f"]["ts"], "a flow goes forward in time"
            start = [s for s in inside(f["s"]) if s["cat"] == "hold"]; end = [s for s in inside(f["f"]) if s["cat"] == "wait"]
            assert start and end, "a flow leaves a hold and lands on a wait"
            pairs.append((f["s"]["ts"], names[f["s"]["pid"]].split(",")[0] + " -> " + names[f["f"]["pid"]].split(",")[0]))
        print("processes: " + " | ".join(sorted(names.values())))
        print("slices: " + " | ".join(sorted("%s %d-%d" % (s["name"], s["ts"], s["ts"] + s["dur"]) for s in slices)))
        print("flows: %d (%s)" % (len(pairs), ", ".join(p for _, p in sorted(pairs))))
        """;

    private static async Task<(int Exit, string Output, string Error)> Python(string script, params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var python = Process.Start(info)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        return (python.ExitCode, await output, await error);
    }

    private string KnownJournal()
    {
        var events = Path.Combine(tool.Root, $"known-{Guid.NewGuid():N}");
        Directory.CreateDirectory(events);
        WriteProcess(events, 10, "Deploy", "Deploy.Tests.Install", [("acquire", 0, null), ("release", 4, null)]);
        WriteProcess(events, 20, "Api", "Api.Tests.Create", [("wait", 1, "pid 10 (Deploy.Tests.Install)"), ("acquire", 4, null), ("release", 8, null)]);
        WriteProcess(events, 30, "Ui", "Ui.Tests.Resize", [("wait", 2, "pid 20 (Api.Tests.Create)"), ("acquire", 8, null), ("release", 9, null)]);
        return events;
    }

    private static void WriteProcess(string folder, int pid, string project, string test, (string Event, double At, string? Holder)[] lines)
    {
        static string Time(double at) => (T0 + TimeSpan.FromSeconds(at)).ToString("O", CultureInfo.InvariantCulture);
        var text = new List<string>
        {
            JsonSerializer.Serialize(new Dictionary<string, object> { ["time"] = Time(lines[0].At), ["event"] = "process", ["host"] = "ci-1", ["pid"] = pid, ["command"] = "dotnet testhost.dll --port 1", ["project"] = project }),
        };
        foreach (var (ev, at, holder) in lines)
        {
            var line = new Dictionary<string, object> { ["time"] = Time(at), ["event"] = ev, ["host"] = "ci-1", ["pid"] = pid, ["test"] = test, ["lock"] = "tempest-az", ["mode"] = "write" };
            if (holder is not null) line["holder"] = holder;
            text.Add(JsonSerializer.Serialize(line));
        }
        File.WriteAllLines(Path.Combine(folder, $"ci-1-{pid}.jsonl"), text);
    }
}
