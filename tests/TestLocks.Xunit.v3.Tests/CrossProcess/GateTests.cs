using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Xunit.Tests.CrossProcess;

/// <summary>
/// xUnit v3 in ParallelMode.All gates each test after its lifecycle hooks: parallel tests go in while no test with
/// DisableParallelization runs. A parallel test that took a lock in those hooks and then waited at the gate, behind a
/// sequential test waiting inside it for the same lock, waited for ever (issue 20, item 2). Run by xUnit v3's own runner.
/// </summary>
public sealed class GateTests
{
    private const string Sequential = "Fx.Gates.Sequential.Takes_the_db_alone";
    private const string Parallel = "Fx.Gates.Parallel.Takes_the_db";

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public async Task In_ParallelMode_All_no_test_holds_a_lock_while_it_waits_for_xUnits_gate(int? maxThreads)
    {
        using var scenario = new Scenario();
        // The sequential test takes s-go before shared-db, the parallel one z-go after it.
        var sGo = scenario.Hold("gates-s-go");
        var zGo = scenario.Hold("gates-z-go");
        using var child = FixtureSuite.V3AllMode.Start(scenario, "Gates", maxThreads: maxThreads);

        bool Waits(IReadOnlyList<JournalEntry> j, string test, string name) =>
            j.Any(e => e.What == "acquiring" && e.Who == test && e.Detail == scenario.Prefix + name);
        bool SequentialInItsGate(IReadOnlyList<JournalEntry> j) => Waits(j, Sequential, "gates-s-go");
        bool ParallelHoldsTheDb(IReadOnlyList<JournalEntry> j) => Waits(j, Parallel, "gates-z-go");

        // Taking locks before xUnit's gate, both come about: the parallel test holds shared-db outside the gate (waiting
        // for z-go) while the sequential test waits for s-go inside its gate; once both go on, each waits for the other.
        // Taking them after the gate, only one can: whichever test went through xUnit's gate first; the other waits at
        // the gate holding nothing. Once one is seen, the other is given ten seconds to show before both are let go.
        await scenario.Journal.WaitForAsync("a test waiting for the harness", j => SequentialInItsGate(j) || ParallelHoldsTheDb(j), child);
        var both = scenario.Journal.WaitForAsync("both tests waiting for the harness", j => SequentialInItsGate(j) && ParallelHoldsTheDb(j), child);
        await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(10)));
        _ = both.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed, whatever it ends with
        scenario.Release(sGo, zGo);

        if (await Task.WhenAny(child.Exited, Task.Delay(TimeSpan.FromSeconds(60))) != child.Exited)
        {
            Assert.Fail($"The run hung: a test holds a lock while it waits for xUnit's gate.\n{JournalFile.Dump(scenario.Journal.Read())}\n{child.Output}");
        }
        var results = await child.CompleteAsync();
        Assert.True(results[Sequential].Passed, results[Sequential].Message + child.Output);
        Assert.True(results[Parallel].Passed, results[Parallel].Message + child.Output);
    }
}
