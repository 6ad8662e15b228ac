using System.Diagnostics;
using TestLocks.Packaging.Tests.Infrastructure;

namespace TestLocks.Packaging.Tests;

/// <summary>The new-user projects of three frameworks, run at once as shards of one suite, with a race detector.</summary>
[Collection(NewUserCollection.Name)]
public sealed class ShardTests(NewUser user)
{
    private static readonly string[] Shards = ["xunit.v3", "xunit", "nunit"];

    [Fact]
    public async Task Locked_tests_of_concurrent_shards_never_overlap_and_do_overlap_without_process_locking()
    {
        var builds = await Task.WhenAll(Shards.Select(framework =>
        {
            var project = user.RequireProject(framework);
            var probes = Path.Combine(AppContext.BaseDirectory, "Probes");
            File.Copy(Path.Combine(probes, "RaceProbe.cs"), Path.Combine(project, "RaceProbe.cs"), overwrite: true);
            File.Copy(Path.Combine(probes, framework == "nunit" ? "RaceProbeNUnit.cs" : "RaceProbeXunit.cs"),
                Path.Combine(project, "RaceProbeTests.cs"), overwrite: true);
            return Shell.RunAsync("dotnet build", project, user.Env);
        }));
        foreach (var build in builds)
            Assert.True(build.ExitCode == 0, $"a new-user project with the race probe did not build:\n{build.Tail()}");

        // The detector's own check: with process locking off, shards started together are inside at once.
        var unlocked = await RunShardsAsync("unlocked", disableProcessLocking: true);
        Assert.True(unlocked.Overlaps.Count > 0,
            $"without process locking the probes of {Shards.Length} concurrent shards never met, so the detector could not "
            + $"have seen a race:\n{unlocked.Report}");

        var locked = await RunShardsAsync("locked", disableProcessLocking: false);
        Assert.True(locked.Overlaps.Count == 0, $"tests holding the lock \"race_probe\" overlapped across shards:\n{locked.Report}");
        Assert.Equal(Shards.Length, locked.Intervals.Count);
        var ordered = locked.Intervals.OrderBy(i => i.Enter).ToList();
        for (var i = 1; i < ordered.Count; i++)
            Assert.True(ordered[i].Enter >= ordered[i - 1].Leave, $"probe intervals overlap in the locked run:\n{locked.Report}");
    }

    private sealed record Interval(string Process, long Enter, long Leave);

    private sealed record Run(List<string> Overlaps, List<Interval> Intervals, string Report);

    private async Task<Run> RunShardsAsync(string name, bool disableProcessLocking)
    {
        var raceDir = Path.Combine(user.Workspace, $"race-{name}");
        Directory.CreateDirectory(raceDir);
        var env = new Dictionary<string, string>(user.Env)
        {
            ["RACE_DIR"] = raceDir,
            ["RACE_WAIT_SECONDS"] = "8",
            ["TESTLOCKS_DISABLE_PROCESS_LOCKING"] = disableProcessLocking ? "true" : "false",
        };
        var shards = await Task.WhenAll(Shards.Select(f => Shell.RunAsync("dotnet test --no-build", user.Project(f), env)));
        var journal = Directory.GetFiles(raceDir, "journal.*").Order(StringComparer.Ordinal).SelectMany(File.ReadLines).ToList();
        var report = $"journal ({Stopwatch.Frequency} ticks/s):\n{string.Join('\n', journal)}\n\n"
            + string.Join("\n\n", shards.Select(s => s.Tail(25)));
        foreach (var shard in shards)
            Assert.True(shard.ExitCode == 0, $"a shard failed in the {name} run:\n{report}");

        var overlaps = journal.Where(l => l.StartsWith("overlap ", StringComparison.Ordinal)).ToList();
        var enters = journal.Where(l => l.StartsWith("enter ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToList();
        var leaves = journal.Where(l => l.StartsWith("leave ", StringComparison.Ordinal)).Select(l => l.Split(' '))
            .ToDictionary(p => p[1], p => long.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(enters.Count == Shards.Length, $"expected one probe per shard in the {name} run:\n{report}");
        var intervals = enters.Select(p => new Interval(p[1], long.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture), leaves[p[1]])).ToList();
        return new Run(overlaps, intervals, report);
    }
}
