using System.Collections.Immutable;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.Core.Tests;

/// <summary>Counted locks and leases through the lifecycle contract every framework package drives (ILockRequestSource →
/// LockRequest → LockedTest/LockSet), so [ExternalLock(Slots = N)] and [Lease] behave alike in all five.</summary>
public sealed class CountedLockedTestTests
{
    private static readonly TimeSpan Patience = HelperProcess.LineLimit;

    [Fact]
    public async Task Tests_asking_for_a_counted_lock_run_at_most_N_at_once_and_a_waiting_test_names_every_holder()
    {
        using var dir = new LockDir();
        var ct = TestContext.Current.CancellationToken;
        var name = LockDir.UniqueName("quota");
        var request = new LockRequest(name) { Slots = 2 };
        await using var first = await HelperProcess.RunInAnotherFlow(async () =>
        {
            var t = Start(dir.Factory, "Quota.first_test", [new Asks(request)]);
            await t.AcquireAsync(ct);
            return t;
        }).Unwrap();
        await using var second = await HelperProcess.RunInAnotherFlow(async () =>
        {
            var t = Start(dir.Factory, "Quota.second_test", [new Asks(request)]);
            await t.AcquireAsync(ct);
            return t;
        }).Unwrap();
        var lines = new Lines();
        await using var third = Start(dir.Factory, "Quota.third_test", [new Asks(request)], lines);
        var acquiring = third.AcquireAsync(ct).AsTask();

        var line = await lines.First.Task.WaitAsync(Patience, ct);
        Assert.Contains("2 of 2 slots held by", line, StringComparison.Ordinal);
        Assert.Contains("(Quota.first_test)", line, StringComparison.Ordinal);
        Assert.Contains("(Quota.second_test)", line, StringComparison.Ordinal);
        Assert.False(acquiring.IsCompleted);

        var freed = first.Locks!.Handles.Single(h => h.Name.Contains(".slot-", StringComparison.Ordinal)).Name;
        await first.DisposeAsync();
        await acquiring.WaitAsync(Patience, ct);
        Assert.Equal(freed, third.Locks!.Handles.Single(h => h.Name.Contains(".slot-", StringComparison.Ordinal)).Name);
    }

    [Fact]
    public async Task A_leasing_test_reads_its_member_which_no_other_test_holds_until_it_ends()
    {
        using var dir = new LockDir();
        var ct = TestContext.Current.CancellationToken;
        var pool = LockDir.UniqueName("database");
        string[] members = [LockDir.UniqueName("db1"), LockDir.UniqueName("db2")];
        var factory = new LockFactory(dir.Settings with { Pools = ImmutableDictionary<string, IReadOnlyList<string>>.Empty.Add(pool, members) });

        // A test that locks the first member by name excludes leases of it.
        await using var byName = await HelperProcess.RunInAnotherFlow(async () =>
        {
            var t = Start(factory, "Db.by_name", [new Asks(new LockRequest(members[0]))]);
            await t.AcquireAsync(ct);
            return t;
        }).Unwrap();
        var leasing = await HelperProcess.RunInAnotherFlow(async () =>
        {
            var t = Start(factory, "Db.leasing", [new Asks(LockRequest.Lease(pool))]);
            await t.AcquireAsync(ct);
            return (Test: t, Member: Lease.Current(pool));
        }).Unwrap();
        Assert.Equal(members[1], leasing.Member);
        Assert.Equal(members[1], leasing.Test.Locks!.Leases[pool]);
        Assert.Null(await HelperProcess.RunInAnotherFlow(() => factory.CreateLock(members[1]).TryAcquire()));

        await leasing.Test.DisposeAsync();
        await using var after = Start(factory, "Db.after", []);
        Assert.Null(Lease.TryCurrent(pool));
        var e = Assert.Throws<TestLocksException>(() => Lease.Current(pool));
        Assert.Contains($"[Lease(\"{pool}\")]", e.Message, StringComparison.Ordinal);
        using var free = factory.CreateLock(members[1]).TryAcquire();
        Assert.NotNull(free);
    }

    [Fact]
    public async Task A_leased_member_parameter_names_the_member_its_test_holds_and_says_so_when_read_outside_it()
    {
        using var dir = new LockDir();
        var ct = TestContext.Current.CancellationToken;
        var pool = LockDir.UniqueName("database");
        string[] members = [LockDir.UniqueName("db1")];
        var factory = new LockFactory(dir.Settings with { Pools = ImmutableDictionary<string, IReadOnlyList<string>>.Empty.Add(pool, members) });
        var parameter = new LeasedMember(pool); // made before the test runs, as a framework makes its parameters

        Assert.Equal($"<a member of {pool}>", parameter.ToString());
        var outside = await HelperProcess.RunInAnotherFlow(() => Assert.Throws<TestLocksException>(() => parameter.Name));
        Assert.Contains($"The LeasedMember of pool \"{pool}\" was read outside the test that leases it", outside.Message, StringComparison.Ordinal);

        var inside = await HelperProcess.RunInAnotherFlow(async () =>
        {
            await using var t = Start(factory, "Db.parameter", [new Asks(LockRequest.Lease(pool))]);
            await t.AcquireAsync(ct);
            return (Name: parameter.Name, Text: parameter.ToString(), Converted: (string)parameter, Current: Lease.Current(pool));
        }).Unwrap();
        Assert.Equal((members[0], members[0], members[0], members[0]), inside);

        await using var holdsNone = Start(factory, "Db.holds_none", []);
        var none = Assert.Throws<TestLocksException>(() => parameter.Name);
        Assert.Contains($"holds no member of pool \"{pool}\"", none.Message, StringComparison.Ordinal);
        Assert.Contains($"[LeaseData(\"{pool}\")]", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Slots_with_a_read_mode_or_out_of_range_are_refused_naming_the_attribute()
    {
        var testCase = new TestCaseInfo(typeof(CountedLockedTestTests), null, [], "X");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ExternalLockNames.Requests(["quota"], null, null, LockMode.Write, 65, testCase).ToList());
        Assert.Contains("[ExternalLock(\"quota\")] has Slots = 65", e.Message, StringComparison.Ordinal);
        using var dir = new LockDir();
        var read = Assert.Throws<TestLocksException>(() => LockSet.Acquire([new LockRequest("quota", mode: LockMode.Read) { Slots = 2 }], dir.Factory));
        Assert.Contains("no read side", read.Message, StringComparison.Ordinal);
    }

    private static LockedTest Start(LockFactory factory, string name, IReadOnlyList<ILockRequestSource> attributes, Lines? lines = null)
    {
        var test = LockedTest.Start(Guid.NewGuid().ToString("N"), name, new TestCaseInfo(typeof(CountedLockedTestTests), null, [], name), attributes, lines ?? new Lines());
        test.Factory = factory;
        return test;
    }

    private sealed class Asks(LockRequest request) : ILockRequestSource
    {
        public IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) => [request];
    }

    private sealed class Lines : TestChannel
    {
        public TaskCompletionSource<string> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected internal override void WriteLine(string line) => First.TrySetResult(line);
    }
}
