using TestLocks.Frameworks.Tests.Harness;
using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Frameworks.Tests;

/// <summary>One counted lock and one pool, five frameworks at once: processes of MSTest, TUnit, xUnit v3, xUnit v2 and
/// NUnit run tests marked <c>[ExternalLock("quota", Slots = 2)]</c> and <c>[Lease("pool")]</c> (tests/Fixtures/*/Counted.cs),
/// each witnessing in the journal what it holds, from inside its locks. The xUnit suites also lease with a LeaseFixture.</summary>
public sealed class All_five_frameworks_share_counted_locks
{
    private const int ProcessesPerFramework = 2;
    private const int QuotaTests = 3, PoolTests = 3; // per process

    [Fact]
    public async Task Processes_of_all_five_frameworks_hold_a_counted_lock_at_most_N_at_once_and_each_pool_member_one_at_a_time()
    {
        using var scenario = new Scenario();
        var config = Path.Combine(scenario.Directory, "testlocks.conf");
        await File.WriteAllTextAsync(config, "[testlocks.pools]\npool = m1, m2, m3\n", TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string> { ["TESTLOCKS_CONFIG"] = config };
        // The harness holds both slots of "quota" until a test of every process asks for it: a surface that ignored
        // Slots would take a lock of its own (named "quota", not its slots) and run its test while the harness holds both.
        var quota = new LockFactory(new TestLocksSettings { LockPath = scenario.LockPath })
            .CreateSemaphore("quota", 2, new LockOptions { Prefix = scenario.Prefix, Owner = "harness" });
        var slots = new[] { await HoldSlotAsync(quota), await HoldSlotAsync(quota) };
        Suite[] suites = [Suite.MSTest, Suite.TUnit, Suite.XunitV3, Suite.XunitV2, Suite.NUnit];
        var children = suites.SelectMany(s => Enumerable.Range(0, ProcessesPerFramework).Select(_ => s.Start(scenario, "Counted", environment))).ToList();
        try
        {
            // One process more each time, so that a slow start of ten test processes on a loaded machine is progress.
            for (var n = 1; n <= children.Count; n++)
            {
                await scenario.Journal.WaitForAsync($"{n} of the {children.Count} processes to ask for \"quota\"",
                    j => j.Where(e => e.What == "acquiring" && e.Detail.StartsWith(scenario.Prefix + "quota", StringComparison.Ordinal)).Select(e => e.Pid).Distinct().Count() >= n,
                    [.. children]);
            }
            var released = scenario.Release([.. slots.Select(s => s.SlotHandle)]);

            var results = (await Task.WhenAll(children.Select(c => c.CompleteAsync()))).SelectMany(r => r.Values).ToList();

            Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
            // xUnit's suites have one pool test more, Pool4, which leases with a LeaseFixture instead of [Lease].
            Assert.Equal(children.Count * (QuotaTests + PoolTests) + 2 * ProcessesPerFramework, results.Count);
            var journal = scenario.Journal.Read();
            var (quotaHolds, poolHolds) = Sweep(journal, released);
            Assert.Equal(children.Count * QuotaTests, quotaHolds);
            Assert.Equal(children.Count * PoolTests + 2 * ProcessesPerFramework, poolHolds);
        }
        finally
        {
            foreach (var child in children) child.Dispose();
        }
    }

    /// <summary>Walks the journal in its order (one O_APPEND write per line, across processes): at most 2 tests between
    /// "enter quota" and "exit quota", none of them before the harness let go of its slots, and at most one test between
    /// "enter pool=M" and "exit pool=M" for each member M. Returns how many holds of each it saw.</summary>
    private static (int Quota, int Pool) Sweep(IReadOnlyList<JournalEntry> journal, int released)
    {
        var inside = new List<string>();
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        int quota = 0, pool = 0;
        foreach (var e in journal.Where(e => e.What is "enter" or "exit"))
        {
            var who = $"{e.Pid}|{e.Who}";
            if (e.Detail == "quota")
            {
                if (e.What == "exit")
                {
                    inside.Remove(who);
                    continue;
                }
                quota++;
                Assert.True(e.Index > released, $"{who} held \"quota\" while the harness held both of its slots ({e}).\n{JournalFile.Dump(journal)}");
                inside.Add(who);
                Assert.True(inside.Count <= 2, $"{inside.Count} tests held \"quota\" (Slots = 2) at once: {string.Join(", ", inside)} ({e}).\n{JournalFile.Dump(journal)}");
            }
            else if (e.Detail.StartsWith("pool=", StringComparison.Ordinal))
            {
                if (e.What == "exit")
                {
                    members.Remove(e.Detail);
                    continue;
                }
                pool++;
                Assert.False(members.TryGetValue(e.Detail, out var other), $"{who} leased {e.Detail} while {other} held it ({e}).\n{JournalFile.Dump(journal)}");
                members[e.Detail] = who;
            }
        }
        return (quota, pool);
    }

    /// <summary>Takes a slot on a flow of its own: the harness holds two slots of one counted lock, which one flow may not.</summary>
    private static Task<CountedLockHandle> HoldSlotAsync(CountedLock quota)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => quota.AcquireAsync(TimeSpan.FromSeconds(30)).AsTask());
        }
    }
}
