using TestLocks.Frameworks.Tests.Harness;
using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Frameworks.Tests;

/// <summary>One lock, five frameworks: MSTest, TUnit, xUnit v3, xUnit v2 and NUnit test processes run their marked
/// tests one at a time on the same lock file.</summary>
public sealed class All_five_frameworks
{
    [Fact]
    public async Task MSTest_TUnit_xUnit_v3_xUnit_v2_and_NUnit_processes_exclude_each_other_on_one_lock()
    {
        using var scenario = new Scenario();
        var phases = scenario.Hold("phases"); // every process queues up on it before any phase runs
        using var mstest = Suite.MSTest.Start(scenario, "Phases");
        using var tunit = Suite.TUnit.Start(scenario, "Phases");
        using var v3 = Suite.XunitV3.Start(scenario, "Phases");
        using var v2 = Suite.XunitV2.Start(scenario, "Phases");
        using var nunit = new NUnitRun(Suite.StartNUnit(scenario, @"^TestLocks\.NUnit\.Scenarios\.Phases\.Locked$", "nunit"));
        await scenario.Journal.WaitForAsync("the MSTest, TUnit and xUnit processes waiting for \"phases\"",
            j => j.Where(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "phases").Select(e => e.Pid).Distinct().Count() == 4, mstest, tunit, v3, v2);
        await nunit.WaitForLineAsync($"Waiting for lock \"{scenario.Prefix}phases\"");
        var released = scenario.Release(phases);

        var results = new[] { mstest, tunit, v3, v2 }.Select(c => c.CompleteAsync()).ToList();
        var nunitOutput = await nunit.CompleteAsync();

        foreach (var result in (await Task.WhenAll(results)).SelectMany(r => r.Values))
        {
            Assert.True(result.Passed, $"{result.Name}: {result.Outcome} {result.Message}");
        }
        Assert.Contains("DONE passed=1 failed=0", nunitOutput, StringComparison.Ordinal);
        var instances = Intervals(File.ReadAllLines(scenario.Journal.Path));
        Assert.Equal(16, instances.Count); // MSTest 3, TUnit 4, xUnit v3 4, xUnit v2 4, NUnit 1: every one holds "phases"
        Assert.All(instances, i => Assert.True(i.First > released, $"{i.Who} ran while the harness held the lock"));
        foreach (var a in instances)
        {
            Assert.DoesNotContain(instances, b => b != a && b.First > a.First && b.First < a.Last);
        }
    }

    /// <summary>Each test instance's first and last journal line. The xUnit, MSTest and TUnit suites write
    /// <c>pid|Class#n|phase|locks</c>; the NUnit scenarios write <c>TAG phase</c>.</summary>
    private static List<(string Who, int First, int Last)> Intervals(string[] lines)
    {
        var spans = new Dictionary<string, (int First, int Last)>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split('|');
            var who = parts.Length == 4 ? $"{parts[0]}|{parts[1]}" : "NUnit#" + lines[i].Split(' ')[0];
            if (parts.Length == 4 && !parts[1].Contains('#', StringComparison.Ordinal)) continue; // "acquiring", harness lines
            spans[who] = spans.TryGetValue(who, out var span) ? (span.First, i) : (i, i);
        }
        return [.. spans.Select(s => (s.Key, s.Value.First, s.Value.Last))];
    }
}
