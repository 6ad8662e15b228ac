using TestLocks.Frameworks.Tests.Harness;
using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Frameworks.Tests;

/// <summary>The pool member as a parameter, part of the contract of every surface: a LeasedMember through NUnit's
/// <c>[Lease("pool")]</c> on the parameter, and TUnit's, xUnit's and MSTest's <c>[LeaseData("pool")]</c> on the method
/// (tests/Fixtures/*/LeasedParam.cs).</summary>
public abstract partial class SurfaceContract
{
    /// <summary>Two processes on a pool of two: each one's first test holds its member (the parameter's Name equal to
    /// Lease.Current("pool")) until both hold one at once, so they hold different members. Each one's second test reads
    /// its member on a thread that does not flow from the test and gets TestLocks' message naming the pool.</summary>
    [Fact]
    public async Task A_test_gets_its_pool_member_as_a_parameter_and_two_processes_on_a_pool_of_two_get_different_members()
    {
        using var scenario = new Scenario();
        var config = Path.Combine(scenario.Directory, "testlocks.conf");
        await File.WriteAllTextAsync(config, "[testlocks.pools]\npool = m1, m2\n", TestContext.Current.CancellationToken);
        var go = Path.Combine(scenario.Directory, "go");
        var environment = new Dictionary<string, string> { ["TESTLOCKS_CONFIG"] = config, ["SCENARIO_GO_ON"] = go };
        var children = Enumerable.Range(0, 2).Select(_ => Suite.Start(scenario, "LeasedParam", environment)).ToList();
        try
        {
            var journal = await scenario.Journal.WaitForAsync("both processes to hold a pool member",
                j => Holds(j).Select(e => e.Pid).Distinct().Count() == 2, [.. children]);
            var holds = Holds(journal).ToList();
            Assert.Equal(2, holds.Count);
            Assert.NotEqual(holds[0].Detail, holds[1].Detail);
            Assert.All(holds, h => Assert.Contains(h.Detail, new[] { "pool=m1", "pool=m2" }));
            await File.WriteAllTextAsync(go, "", TestContext.Current.CancellationToken);

            var results = (await Task.WhenAll(children.Select(c => c.CompleteAsync()))).SelectMany(r => r.Values).ToList();

            Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
            Assert.Equal(2, results.Count(r => r.Name.Contains("Member_is_the_one_the_test_holds", StringComparison.Ordinal)));
            Assert.Equal(2, results.Count(r => r.Name.Contains("Member_read_outside_the_test_says_so", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var child in children) child.Dispose();
        }
    }

    private static IEnumerable<JournalEntry> Holds(IReadOnlyList<JournalEntry> journal) =>
        journal.Where(e => e.What == "enter" && e.Detail.StartsWith("pool=", StringComparison.Ordinal));
}
