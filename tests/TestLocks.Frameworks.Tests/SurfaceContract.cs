using System.Collections.Concurrent;
using StackExchange.Redis;
using TestLocks.Frameworks.Tests.Harness;
using TestLocks.TestSupport.CrossProcess;
using TestLocks.TestSupport.Servers;

namespace TestLocks.Frameworks.Tests;

/// <summary>
/// What a user of any of the five framework surfaces can rely on, written once and run against each framework's fixture
/// suite (tests/Fixtures) in real test processes started through the framework's own runner: xUnit v2, NUnit and a
/// dotnet-new MSTest project through <c>dotnet test</c> (VSTest), xUnit v3 as its executable, MSTest and TUnit as
/// Microsoft.Testing.Platform executables. The tests react to journal lines, never to a clock. A scenario that does not
/// apply to a framework says why with a reason from <see cref="Differences"/>.
/// A lock lost while its test runs needs a lock server: that scenario starts a redis-server of its own.
/// </summary>
public abstract partial class SurfaceContract
{
    private static readonly ConcurrentDictionary<Suite, Lazy<Task<Batch>>> s_batches = new();
    private static readonly ConcurrentDictionary<Suite, Lazy<Task<TwoProcesses>>> s_twoProcesses = new();

    private protected abstract Suite Suite { get; }

    /// <summary>The suite without assembly-level TestLocks attributes, whose unmarked tests carry no TestLocks attribute.</summary>
    private protected abstract Suite PlainSuite { get; }

    /// <summary>Each class of the Phases area and the phases each of its test cases journals, in order ("body" for any row).</summary>
    private protected abstract (string Class, string[] Phases)[] Phases { get; }

    /// <summary>The messages of the failing set-up phase and of the failing clean-up phase of Fx.Failures.FailingPhases.</summary>
    private protected abstract (string SetUp, string CleanUp) FailureMessages { get; }

    /// <summary>The suite built without TestLocks' hook or registration, and the line its marked tests must name; null
    /// where the framework has no such thing (<see cref="Differences.NothingToWire"/>).</summary>
    private protected abstract (Suite Suite, string[] Fix)? NotWired { get; }

    /// <summary>Whether the framework lets TestLocks cancel a running test; not xUnit v2 (<see cref="Differences.NoTestCancellation"/>).</summary>
    private protected virtual bool CancelsRunningTests => true;

    [Fact]
    public async Task Two_test_processes_run_every_phase_of_marked_tests_and_data_rows_inside_the_lock_and_show_whom_they_wait_for()
    {
        var run = await TwoProcessesAsync();

        var phased = run.Instances.Where(i => i.Locks.ContainsKey("phases")).ToList();
        Assert.True(phased.Count >= 6, $"{phased.Count} instances: a test and two data rows in each process, at least");
        Assert.Equal(2, phased.Select(i => i.Pid).Distinct().Count());
        foreach (var (@class, classPhases) in Phases) Instance.AssertPhases(run.Instances, @class, classPhases);
        Assert.All(phased, i => Assert.True(i.First > run.Released, $"{i.Who} ran while the harness held the lock"));
        // Some wait, in the test's own output, names the lock and its holder as the waiter saw it: a line as the wait
        // starts (xUnit, MSTest, TUnit) or how long it waited and for whom (NUnit). Under load the holder can be "an
        // unknown holder": a test of the other process that has the lock but has not written its record yet (one CI
        // run); LiveWaitTests holds the lock until the harness itself is named.
        Assert.Contains(run.Results, r => r.Output.Contains($"\"{run.Prefix}phases\"", StringComparison.Ordinal)
                                          && r.Output.Contains(" held by ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_test_processes_never_overlap_tests_that_share_a_name_from_the_method_the_class_or_the_assembly()
    {
        var run = await TwoProcessesAsync();

        Assert.Equal(8, run.Instances.Count(i => i.Class is "SeveralNames" or "NameA" or "NameB" or "AssemblyWriter"));
        Instance.AssertNoConflictingOverlap(run.Instances, run.Journal); // names-a, names-b, and assembly-lock read by all but AssemblyWriter
        // Several names are taken in ordinal order, whatever order the attribute gives them in, after the serial lock,
        // which is every test's outermost lock (docs/design.md).
        foreach (var process in run.Journal.Where(e => e.What == "acquiring" && e.Who.Contains("SeveralNames", StringComparison.Ordinal)).GroupBy(e => e.Pid))
        {
            var taken = process.Select(e => e.Detail).ToList();
            Assert.Equal(4, taken.Count); // serial-rw-lock, then assembly-lock, names-a, names-b
            Assert.EndsWith("serial-rw-lock", taken[0], StringComparison.Ordinal);
            Assert.Equal(taken.Skip(1).Order(StringComparer.Ordinal), taken.Skip(1));
        }
    }

    [Fact]
    public async Task A_reader_runs_while_another_process_reads_while_a_writer_and_a_serial_test_wait_for_it()
    {
        using var scenario = new Scenario();
        var shared = scenario.Hold("shared", LockMode.Read);
        var serial = scenario.Hold(Adapters.LockRequest.SerialLockName, LockMode.Read); // as any running test holds it
        using var reader = Suite.Start(scenario, "Readers");
        // The reader gets in first: once a writer waits, readers that come later queue behind it (writer preference).
        await scenario.Journal.WaitForAsync("the reader to run",
            j => j.Any(e => e.Who.StartsWith("Reader#", StringComparison.Ordinal) && e.What == "body"), reader);
        using var writer = Suite.Start(scenario, "Writers");
        using var serialTest = Suite.Start(scenario, "Serial");
        var waiting = await scenario.Journal.WaitForAsync("the reader to run, the writer and the serial test to wait",
            j => j.Any(e => e.Who.StartsWith("Reader#", StringComparison.Ordinal) && e.What == "body")
                 // The writer waits for "shared", or, once the serial test waits for its write side, for the serial lock's
                 // read side behind it (waiting writers go first). Waiting, not only acquiring: a writer released before
                 // it found the lock held would not wait at all.
                 && j.Any(e => e.What == "waiting" && e.Who.Contains("Writer", StringComparison.Ordinal)
                     && (e.Detail == scenario.Prefix + "shared" || e.Detail == scenario.Prefix + "serial-rw-lock"))
                 && j.Any(e => e.What == "waiting" && e.Who.Contains("SerialTest", StringComparison.Ordinal) && e.Detail == scenario.Prefix + "serial-rw-lock"),
            reader, writer, serialTest);
        Assert.DoesNotContain(waiting, e => e.IsPhase && e.Class is "Writer" or "SerialTest");
        var released = scenario.Release(shared, serial);

        var results = new[] { await reader.CompleteAsync(), await writer.CompleteAsync(), await serialTest.CompleteAsync() }.SelectMany(r => r.Values).ToList();

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        var journal = scenario.Journal.Read();
        var instances = Instance.From(journal);
        Assert.All(instances.Where(i => i.Class is "Writer" or "SerialTest"), i => Assert.True(i.First > released));
        Instance.AssertNoConflictingOverlap(instances, journal);
    }

    [Fact]
    public async Task A_serial_test_runs_while_no_other_test_runs_not_even_one_without_any_TestLocks_attribute()
    {
        // Tempest's @serial: the suite has no assembly-level TestLocks attribute, so its two unmarked tests carry none at
        // all. While the harness holds the serial lock (as a [Serial] test of another process does) none of them may run,
        // and once it lets go none may run beside the suite's own [Serial] test.
        using var scenario = new Scenario();
        var serial = scenario.Hold(Adapters.LockRequest.SerialLockName);
        using var child = PlainSuite.Start(scenario, "Plain");
        var waiting = await scenario.Journal.WaitForAsync("the serial test to wait, and each unmarked test to wait or run",
            j => j.Any(e => e.What == "acquiring" && e.Who.Contains("SerialTest", StringComparison.Ordinal) && e.Detail == scenario.Prefix + "serial-rw-lock")
                 && new[] { "UnmarkedA", "UnmarkedB" }.All(c => j.Any(e => e.Who.Contains(c, StringComparison.Ordinal) && (e.What == "acquiring" || e.IsPhase))),
            child);
        var released = scenario.Release(serial);

        var results = await child.CompleteAsync();

        Assert.Equal(3, results.Count);
        Assert.All(results.Values, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        var journal = scenario.Journal.Read();
        var instances = Instance.From(journal);
        Assert.Equal(3, instances.Count);
        Assert.All(instances, i => Assert.True(i.First > released,
            $"{i.Who} ran while a [Serial] test of another process held the serial lock.\n{JournalFile.Dump(journal)}"));
        Instance.AssertNoConflictingOverlap(instances, journal); // every test reads the serial lock; the [Serial] one writes it
    }

    [Fact]
    public async Task A_failing_set_up_or_clean_up_still_releases_the_lock()
    {
        var batch = await BatchAsync();

        var failing = new[] { "First", "Second", "Third" }.Select(batch.Result).ToList();
        Assert.Single(failing, r => !r.Passed && r.Message.Contains(FailureMessages.SetUp, StringComparison.Ordinal));
        Assert.Single(failing, r => !r.Passed && r.Message.Contains(FailureMessages.CleanUp, StringComparison.Ordinal));
        Assert.Single(failing, r => r.Passed); // it could take the lock only because both failures released it
    }

    [Fact]
    public async Task A_test_whose_lock_stays_held_past_lock_timeout_fails_naming_the_holder_and_never_runs()
    {
        var batch = await BatchAsync();

        var timedOut = batch.Result("Times_out");
        Assert.False(timedOut.Passed);
        Assert.Contains("LockTimeoutException", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains($"waiting for lock \"{batch.Prefix}timeout-lock\"", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains($"held by pid {Environment.ProcessId}", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains("(harness)", timedOut.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(batch.Journal, e => e.IsPhase && e.Class == "TimesOut");
    }

    [Fact]
    public async Task A_lock_name_template_that_does_not_fit_the_data_row_fails_the_test_with_what_is_wrong_and_the_fix()
    {
        var batch = await BatchAsync();

        var badRow = batch.Result("Template_without_its_argument");
        Assert.False(badRow.Passed);
        Assert.Contains("the lock name template \"row-{1}\" does not fit the test case, which has 1 argument(s)", badRow.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: number the placeholders from {0}", badRow.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Taking_a_lock_the_test_already_holds_fails_at_once()
    {
        var batch = await BatchAsync();

        var reentry = batch.Result("Taking_the_held_lock_again_fails_at_once");
        Assert.True(reentry.Passed, $"{reentry.Outcome} {reentry.Message}");
    }

    [Fact]
    public async Task Cleanups_of_the_base_class_run_last_added_first()
    {
        var batch = await BatchAsync();

        var cleanups = batch.Result("Cleanups_run_last_added_first_inside_the_lock");
        Assert.True(cleanups.Passed, $"{cleanups.Outcome} {cleanups.Message}");
    }

    [Fact]
    public async Task Lock_names_computed_from_a_data_row_exclude_only_that_row_in_other_processes()
    {
        // Row a runs while the harness holds row b's lock and the provider's lock of row c, which wait for them. (Not the
        // other way round: xUnit runs the rows of one theory one after another, in their order.)
        using var scenario = new Scenario();
        var rowB = scenario.Hold("row-b");
        var providerC = scenario.Hold("prov-c");
        using var child = Suite.Start(scenario, "Rows");
        var waiting = await scenario.Journal.WaitForAsync("row a to run while rows b and c wait for their locks",
            j => j.Any(e => e.What == "body a")
                 && j.Any(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "row-b")
                 && j.Any(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "prov-c"), child);
        Assert.DoesNotContain(waiting, e => e.What is "body b" or "body c");
        var released = scenario.Release(rowB, providerC);

        var results = await child.CompleteAsync();

        Assert.Equal(3, results.Count);
        Assert.All(results.Values, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
        var journal = scenario.Journal.Read();
        Assert.Equal(2, journal.Count(e => e.What is "body b" or "body c"));
        Assert.All(journal.Where(e => e.What is "body b" or "body c"), e => Assert.True(e.Index > released, $"{e} ran while the harness held its lock"));
    }

    [Fact]
    public async Task A_lock_lost_while_its_test_runs_stops_the_test_and_fails_it_naming_the_lock()
    {
        // The test holds "lost-lock" on a Redis server and waits for nothing but its own cancellation; the harness then
        // kills the server connection that holds the lock. Without the link from a lost lock to the test's cancellation
        // it would wait until CompleteAsync gave up on it.
        await using var redis = await RedisServer.StartAsync();
        using var scenario = new Scenario();
        var goOn = Path.Combine(scenario.Directory, "go-on");
        using var child = Suite.Start(scenario, "LostLock", new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = redis.Url(), ["SCENARIO_GO_ON"] = goOn });
        var holding = (await scenario.Journal.WaitForAsync("the test to hold \"lost-lock\"", j => j.Any(e => e.What == "holding"), child)).First(e => e.What == "holding");
        await using (var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},password={RedisServer.Password},allowAdmin=true"))
        {
            var server = admin.GetServer(admin.GetEndPoints()[0]);
            var name = $"testlocks-pid{holding.Pid}@";
            var holders = (await server.ClientListAsync()).Where(c => c.Name?.StartsWith(name, StringComparison.Ordinal) == true).Select(c => c.Id).ToList();
            Assert.NotEmpty(holders);
            foreach (var id in holders) await server.ClientKillAsync(id);
            if (!CancelsRunningTests)
            {
                // Differences.NoTestCancellation: the test ends when told, once its process has seen the cut (it connects
                // again: the server has no event for that, so it is polled) and so knows its locks are lost.
                while (!(await server.ClientListAsync()).Any(c => c.Name?.StartsWith(name, StringComparison.Ordinal) == true && !holders.Contains(c.Id)))
                {
                    Assert.False(child.HasExited, child.Output);
                    await Task.Delay(20, TestContext.Current.CancellationToken);
                }
                await File.WriteAllTextAsync(goOn, "the connection is cut", TestContext.Current.CancellationToken);
            }
        }

        var result = Assert.Single((await child.CompleteAsync()).Values);

        Assert.False(result.Passed, $"{result.Name}: {result.Outcome}\n{child.Output}");
        // One connection held all the test's locks: the message names the first the test took after the serial lock
        // (LockSetHandle), assembly-lock (the suite's assembly attribute) or, in a suite without one, lost-lock.
        Assert.Matches($"Lock \"{scenario.Prefix}(assembly-lock|lost-lock)\" \\(redis://[^)]*\\) was lost while held", result.Message);
    }

    [Fact]
    public async Task A_marked_test_of_a_project_without_TestLocks_hook_fails_with_the_line_to_add()
    {
        if (NotWired is not { } notWired)
        {
            Assert.Skip(Differences.NothingToWire);
            return;
        }
        using var scenario = new Scenario();
        using var child = notWired.Suite.Start(scenario, "Unregistered");

        var results = await child.CompleteAsync();

        Assert.True(Named(results, "Unmarked").Passed);
        foreach (var marked in new[] { Named(results, "Marked"), Named(results, "Serial") })
        {
            Assert.False(marked.Passed, marked.Name);
            foreach (var part in notWired.Fix) Assert.Contains(part, marked.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>The result of the test named <paramref name="name"/> (a method name; a data row's arguments follow it).</summary>
    private protected static FixtureResult Named(IReadOnlyDictionary<string, FixtureResult> results, string name) =>
        results.Values.Single(r => r.Name == name || r.Name.EndsWith("." + name, StringComparison.Ordinal)
                                   || r.Name.Contains(name + "(", StringComparison.Ordinal) || r.Name.Contains(name + " (", StringComparison.Ordinal));

    /// <summary>
    /// One test process per framework for the scenarios that need nothing from the harness while they run: failing set-up
    /// and clean-up, a lock timeout (the harness holds "timeout-lock" throughout), a template that does not fit its row,
    /// re-entry and cleanups. Started by the first test that asks; the others read its results.
    /// </summary>
    private Task<Batch> BatchAsync() => s_batches.GetOrAdd(Suite, suite => new Lazy<Task<Batch>>(() => Batch.RunAsync(suite))).Value;

    /// <summary>
    /// Two test processes of the Phases and Names areas, on one lock_path, for the two scenarios that need two processes
    /// and no more from the harness than holding "phases" until a test waits for it. Every test passed.
    /// </summary>
    private Task<TwoProcesses> TwoProcessesAsync() => s_twoProcesses.GetOrAdd(Suite, suite => new Lazy<Task<TwoProcesses>>(() => TwoProcesses.RunAsync(suite))).Value;

    private protected sealed record TwoProcesses(string Prefix, int Released, IReadOnlyList<FixtureResult> Results, IReadOnlyList<JournalEntry> Journal, IReadOnlyList<Instance> Instances)
    {
        public static async Task<TwoProcesses> RunAsync(Suite suite)
        {
            using var scenario = new Scenario();
            var phases = scenario.Hold("phases"); // no phase runs before a test waited for it
            using var a = suite.Start(scenario, ["Phases", "Names"]);
            using var b = suite.Start(scenario, ["Phases", "Names"]);
            // Until a test waits: one process, not both. A test waiting for "phases" holds "assembly-lock" for reading
            // (taken first: ordinal order), so AssemblyWriter waits, and the readers of its process queue behind it.
            await scenario.Journal.WaitForAsync("a test to wait for \"phases\"",
                j => j.Any(e => e.What == "waiting" && e.Detail == scenario.Prefix + "phases"), a, b);
            var released = scenario.Release(phases);
            var results = (await a.CompleteAsync()).Values.Concat((await b.CompleteAsync()).Values).ToList();
            Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Outcome} {r.Message}"));
            var journal = scenario.Journal.Read();
            var instances = Instance.From(journal);
            Assert.Equal(results.Count, instances.Count);
            Assert.Equal(2, instances.Select(i => i.Pid).Distinct().Count());
            Instance.AssertNoConflictingOverlap(instances, journal);
            return new TwoProcesses(scenario.Prefix, released, results, journal, instances);
        }
    }

    private protected sealed record Batch(string Prefix, IReadOnlyDictionary<string, FixtureResult> Results, IReadOnlyList<JournalEntry> Journal)
    {
        public FixtureResult Result(string name) => Named(Results, name);

        public static async Task<Batch> RunAsync(Suite suite)
        {
            using var scenario = new Scenario();
            using var blocked = scenario.Hold("timeout-lock");
            using var child = suite.Start(scenario, ["Failures", "BadRows", "Reentry"], new Dictionary<string, string> { ["TESTLOCKS_LOCK_TIMEOUT"] = "2" });
            var results = await child.CompleteAsync();
            return new Batch(scenario.Prefix, results, scenario.Journal.Read());
        }
    }
}
