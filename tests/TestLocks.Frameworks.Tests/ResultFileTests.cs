using System.Text.RegularExpressions;
using System.Xml.Linq;
using TestLocks.Frameworks.Tests.Harness;
using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Frameworks.Tests;

/// <summary>
/// A test's lock wait in the result files CI systems display (issue 24): each framework's fixture suite runs, through its
/// real runner with its TRX reporter and its JUnit XML reporter where it has one, a test that the harness keeps waiting
/// for its lock; the files must then say, for that test, which lock it waited for, how long and who held it, in the
/// places docs/reports.md lists. One child run per framework.
/// </summary>
public sealed class ResultFileTests
{
    /// <summary>Each framework's suite and the places of its result files that carry the wait (docs/reports.md).</summary>
    public static TheoryData<string, string[]> Frameworks => new()
    {
        { "MSTest", [Output, ResultFile] }, // no JUnit XML reporter on Microsoft.Testing.Platform
        { "MSTest on VSTest", [Output, ResultFile, SystemOut] },
        { "TUnit", [Output, ResultFile] }, // TUnit's JUnit XML has no output and no properties of a test case
        { "xUnit v2", [Output, SystemOut] }, // xUnit v2 has no attachments nor result properties
        { "xUnit v3", [Output, ResultFile, SystemOut] },
        { "NUnit", [Output, ResultFile, SystemOut] }, // its property TestLocks.Wait is in NUnit's own XML only
    };

    private const string Output = "TRX output", ResultFile = "TRX result file TestLocks.wait.txt", SystemOut = "JUnit system-out";

    [Theory, MemberData(nameof(Frameworks))]
    public async Task A_test_that_waited_for_its_lock_shows_the_lock_the_seconds_and_the_holder_in_its_TRX_and_JUnit_results(string framework, string[] places)
    {
        var suite = framework switch
        {
            "MSTest" => Suite.MSTest,
            "MSTest on VSTest" => Suite.MSTestPlain,
            "TUnit" => Suite.TUnit,
            "xUnit v2" => Suite.XunitV2,
            "xUnit v3" => Suite.XunitV3,
            _ => Suite.NUnit,
        };
        using var scenario = new Scenario();
        var held = scenario.Hold("report-lock");
        using var child = suite.StartReporting(scenario, "Reports", new Dictionary<string, string> { ["TESTLOCKS_WARN_AFTER"] = "1" }, out var trx, out var junit);
        // Released once the waiting test has read its holder, a warn_after into the wait, not as it starts to wait: a
        // holder read as the harness lets go would be "an unknown holder".
        var seen = $"{scenario.Prefix}report-lock held by pid {Environment.ProcessId} on {Environment.MachineName} (harness)";
        await scenario.Journal.WaitForAsync("the test to wait for \"report-lock\" a warn_after, seeing the harness hold it",
            j => j.Any(e => e.What == "still waiting" && e.Detail.StartsWith(seen, StringComparison.Ordinal)), child);
        scenario.Release(held);

        var result = Assert.Single((await child.CompleteAsync()).Values);

        Assert.True(result.Passed, $"{result.Name}: {result.Outcome} {result.Message}");
        Assert.Equal(junit is not null, suite.WritesJUnit);
        Assert.True(junit is null || File.Exists(junit), $"no JUnit XML report at {junit}\n{child.Output}");
        // The wait summary: [TestLocks] TEST waited 1.2s for its locks, ...: "fx1-report-lock" 1.2s (last held by pid 42 on HOST (harness) since ...)
        var summary = new Regex($"waited [0-9.]+s for its locks.*\"{Regex.Escape(scenario.Prefix)}report-lock\" [0-9.]+s \\(last held by pid {Environment.ProcessId} on {Regex.Escape(Environment.MachineName)} \\(harness\\)");
        var found = ResultFiles.Find(trx, junit, "Waits", summary.IsMatch);
        Assert.True(places.Order().SequenceEqual(found.Keys.Order()),
            $"{framework}: the wait is in [{string.Join(", ", found.Keys)}], expected in [{string.Join(", ", places)}]\n" +
            $"Files: {string.Join(", ", Directory.EnumerateFiles(scenario.Directory, "*", SearchOption.AllDirectories))}\nTRX:\n{File.ReadAllText(trx)}\nJUnit:\n{(junit is not null && File.Exists(junit) ? File.ReadAllText(junit) : "(none)")}");
    }

    /// <summary>TUnit's JUnit XML has no output nor properties per test case (above), only the failure of a failed one: a
    /// lock timeout is there, with the lock, the wait and the holder its message names (docs/reports.md).</summary>
    [Fact]
    public async Task A_TUnit_test_that_timed_out_waiting_for_its_lock_names_the_lock_and_its_holder_in_TUnit_s_JUnit_XML()
    {
        using var scenario = new Scenario();
        using var held = scenario.Hold("timeout-lock");
        using var child = Suite.TUnit.StartReporting(scenario, "Failures", new Dictionary<string, string> { ["TESTLOCKS_LOCK_TIMEOUT"] = "1" }, out _, out var junit);
        await child.CompleteAsync();

        Assert.True(junit is not null && File.Exists(junit), $"no JUnit XML report at {junit}\n{child.Output}");
        var xml = XDocument.Load(junit);
        var testCase = Assert.Single(xml.Descendants("testcase"), t => (string?)t.Attribute("name") == "Times_out");
        var failure = testCase.Elements().FirstOrDefault(e => e.Name == "failure" || e.Name == "error");
        Assert.True(failure is not null, $"Times_out has no failure in TUnit's JUnit XML:\n{testCase}");
        var text = $"{failure.Attribute("message")?.Value}\n{failure.Value}";
        Assert.Contains($"{scenario.Prefix}timeout-lock", text, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId} on {Environment.MachineName} (harness)", text, StringComparison.Ordinal);
    }
}
