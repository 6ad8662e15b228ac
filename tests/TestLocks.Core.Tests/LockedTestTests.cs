using TestLocks.TestSupport.Processes;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.Core.Tests;

/// <summary>The one test-lock lifecycle that every framework package drives (<see cref="LockedTest"/>).</summary>
public sealed class LockedTestTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void An_unmarked_test_takes_the_serial_read_side_and_a_serial_test_its_write_side_first()
    {
        using var dir = new LockDir();
        using var unmarked = Start(dir, "Tests.Unmarked", []);
        using var serial = Start(dir, "Tests.Serial", [new Asks(new LockRequest("az")), new Asks(LockRequest.Serial())]);

        Assert.Equal([LockRequest.NotSerial().ToString()], unmarked.Requests().Select(r => r.ToString()));
        var plan = LockSet.Plan(serial.Requests(), dir.Factory);
        Assert.Equal([LockMode.Write, LockMode.Write], plan.Select(l => l.Mode));
        Assert.EndsWith(LockRequest.SerialLockName, plan[0].Name, StringComparison.Ordinal); // the serial lock first, written
    }

    [Fact]
    public void A_scope_around_tests_takes_nothing_without_attributes_and_its_tests_do_not_take_again_what_it_holds()
    {
        using var dir = new LockDir();
        var test = new TestCaseInfo(typeof(LockedTestTests), null, [], "Fixture");
        using var scope = LockedTest.StartScope("fixture-1", "Tests.Fixture", test, [], new Lines());
        Assert.Empty(scope.Requests());

        // A scope that holds the serial lock for reading (as a fixture's scope does) around the tests.
        using var reading = LockedTest.StartScope("fixture-2", "Tests.Reading", test, [new Asks(LockRequest.NotSerial())], new Lines());
        reading.Factory = dir.Factory;
        reading.Acquire();
        LockedTest[] held = [scope, reading];
        using var inside = LockedTest.Start("test-1", "Tests.Fixture.Inside", test, [new Asks(new LockRequest("az"))], new Lines(), held);
        inside.Factory = dir.Factory;
        Assert.Equal([new LockRequest("az").ToString()], inside.Requests().Select(r => r.ToString()));

        using var serialInside = LockedTest.Start("test-2", "Tests.Fixture.Serial", test, [new Asks(LockRequest.Serial())], new Lines(), held);
        serialInside.Factory = dir.Factory;
        var e = Assert.Throws<TestLocksException>(() => serialInside.Requests());
        Assert.Contains("cannot be upgraded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waiting_test_says_who_holds_its_lock_even_when_its_output_throws_and_a_long_name_is_cut()
    {
        using var dir = new LockDir();
        var ct = TestContext.Current.CancellationToken;
        var holder = await Task.Run(async () => await dir.Factory.CreateLock("az").AcquireAsync(cancellationToken: ct), ct); // another flow holds it
        var lines = new Lines { Throws = true };
        var name = "Tests." + new string('x', 200);
        await using var test = Start(dir, name, [new Asks(new LockRequest("az"))], lines);

        var acquiring = test.AcquireAsync(ct).AsTask();
        await lines.First.Task.WaitAsync(Patience, ct); // the wait line came, and the channel threw on it
        await holder.DisposeAsync();
        await acquiring.WaitAsync(Patience, ct);

        Assert.Equal(LockedTest.MaxOwnerLength, test.Owner.Length);
        Assert.EndsWith("...", test.Owner, StringComparison.Ordinal);
        Assert.Contains("Waiting for lock", await lines.First.Task, StringComparison.Ordinal);
        Assert.NotNull(test.WaitSummary);
        Assert.Contains(test.WaitSummary, lines.All); // the summary went to the channel too
    }

    [Fact]
    public async Task A_running_test_that_asks_again_for_a_lock_it_holds_fails_at_once()
    {
        using var dir = new LockDir();
        var ct = TestContext.Current.CancellationToken;
        await using var test = Start(dir, "Tests.Reentry", [new Asks(new LockRequest("az"))]);
        await test.AcquireAsync(ct);

        await Assert.ThrowsAsync<LockReentryException>(async () => await dir.Factory.CreateLock("az").AcquireAsync(cancellationToken: ct));
    }

    /// <summary>Found by the result-file tests: a notice read in the moment between two holders said "an unknown holder",
    /// and the summary, built from the last notice, lost the holder an earlier notice had named.</summary>
    [Fact]
    public async Task The_wait_summary_names_the_last_holder_seen_even_when_a_later_notice_found_none()
    {
        using var dir = new LockDir();
        var ct = TestContext.Current.CancellationToken;
        await using var held = await LockSet.AcquireAsync([new LockRequest("az")], dir.Factory, cancellationToken: ct);
        var name = held.Handles[0].Name;
        var waits = new WaitLog("Tests.Summary");
        waits.Line(new LockWaitNotice(name, dir.Path, new LockHolder(4242, "ci-3", "Aggregates.test_add_host", DateTimeOffset.UtcNow, LockMode.Write), TimeSpan.FromSeconds(1)));
        waits.Line(new LockWaitNotice(name, dir.Path, null, TimeSpan.FromSeconds(2)));

        Assert.Contains("Aggregates.test_add_host", waits.Summary(held), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wait_summary_of_a_test_that_waited_for_a_counted_lock_names_the_lock_and_its_holders()
    {
        using var dir = new LockDir();
        var ct = TestContext.Current.CancellationToken;
        await using var held = await LockSet.AcquireAsync([new LockRequest("quota") { Slots = 2 }], dir.Factory, cancellationToken: ct);
        var name = dir.Factory.CreateSemaphore("quota", 2).Name; // waited for under this name, held as one of its slots
        var waits = new WaitLog("Tests.Summary");
        waits.Line(new LockWaitNotice(name, dir.Path, null, TimeSpan.FromSeconds(1))
        {
            Slots = 2,
            Holders = [new LockHolder(4242, "ci-3", "Aggregates.test_add_host", DateTimeOffset.UtcNow, LockMode.Write)],
        });

        var summary = waits.Summary(held);

        Assert.Contains($"\"{name}\" 1.0s (last held by ", summary, StringComparison.Ordinal);
        Assert.Contains("Aggregates.test_add_host", summary, StringComparison.Ordinal);
    }

    private static LockedTest Start(LockDir dir, string name, IReadOnlyList<ILockRequestSource> attributes, Lines? lines = null)
    {
        var test = LockedTest.Start(Guid.NewGuid().ToString("N"), name, new TestCaseInfo(typeof(LockedTestTests), null, [], name), attributes, lines ?? new Lines());
        test.Factory = dir.Factory;
        return test;
    }

    private sealed class Asks(LockRequest request) : ILockRequestSource
    {
        public IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) => [request];
    }

    private sealed class Lines : TestChannel
    {
        private readonly List<string> _all = [];

        public bool Throws { get; init; }

        public TaskCompletionSource<string> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> All
        {
            get { lock (_all) return [.. _all]; }
        }

        protected internal override void WriteLine(string line)
        {
            lock (_all) _all.Add(line);
            First.TrySetResult(line);
            if (Throws) throw new InvalidOperationException("this output is closed");
        }
    }
}
