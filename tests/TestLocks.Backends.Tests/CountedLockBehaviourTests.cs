namespace TestLocks.Backends.Tests;

/// <summary>
/// Counted locks and pools behave alike on every backend: written once, run against lock files, PostgreSQL and Redis
/// by the subclasses at the end of this file, with real helper processes on the same backend.
/// </summary>
public abstract class CountedLockBehaviourTests(BackendTarget target) : IDisposable
{
    protected BackendTarget Target { get; } = target;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Processes_never_hold_more_than_N_slots_checked_by_a_witness()
    {
        var name = LockDir.UniqueName("counted");
        const int processes = 4, slots = 2;
        var iterations = Target.StressIterations / 2;
        var witnesses = Enumerable.Range(0, processes).Select(i => Target.File($"witness-{i}")).ToList();
        var helpers = witnesses.Select(w => HelperProcess.StartHelper(
            new Dictionary<string, string>(Target.Environment()) { ["TESTLOCKS_TEST_WITNESS"] = w },
            "slotloop", name, $"{slots}", $"{iterations}")).ToList();
        try
        {
            foreach (var helper in helpers)
            {
                await helper.WaitForLineAsync("DONE", Token);
                Assert.Equal(0, await helper.WaitForExitAsync());
            }
        }
        finally
        {
            foreach (var helper in helpers) await helper.DisposeAsync();
        }
        var (maxInside, enters) = SlotWitness.Sweep(witnesses);
        Assert.Equal(processes * iterations, enters);
        Assert.InRange(maxInside, 1, slots);
    }

    [Fact]
    public async Task A_killed_holder_frees_its_slot_for_a_waiter_that_is_told_every_holder()
    {
        var name = LockDir.UniqueName("killed");
        await using var first = HelperProcess.StartHelper(Target.Environment(), "slot", name, "2", "Slots.first");
        Assert.Equal("HELD 1", await first.WaitForLineAsync("HELD", Token));
        await using var second = HelperProcess.StartHelper(Target.Environment(), "slot", name, "2", "Slots.second");
        Assert.Equal("HELD 2", await second.WaitForLineAsync("HELD", Token));

        var notices = new List<string>();
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counted = Target.Factory.CreateSemaphore(name, 2, new LockOptions
        {
            OnWaiting = n =>
            {
                lock (notices) notices.Add(n.ToString());
                told.TrySetResult();
            },
        });
        var waiting = counted.AcquireAsync(HelperProcess.LineLimit, Token).AsTask();
        await told.Task.WaitAsync(HelperProcess.LineLimit, Token); // it found both slots busy and waits
        second.KillHard();

        await using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
        Assert.Equal(2, handle.Slot);
        string notice;
        lock (notices) notice = Assert.Single(notices);
        Assert.Contains("2 of 2 slots held by", notice, StringComparison.Ordinal);
        Assert.Contains("Slots.first", notice, StringComparison.Ordinal);
        Assert.Contains("Slots.second", notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Holders_that_disagree_on_the_slot_count_get_an_error_naming_both_counts()
    {
        var name = LockDir.UniqueName("disagree");
        await using var first = HelperProcess.StartHelper(Target.Environment(), "slot", name, "2", "Two.slots");
        await first.WaitForLineAsync("HELD", Token);
        var e = await Assert.ThrowsAsync<SlotCountMismatchException>(() => Target.Factory.CreateSemaphore(name, 1).AcquireAsync(HelperProcess.LineLimit, Token).AsTask());
        Assert.Equal(1, e.Slots);
        Assert.Equal(2, e.OtherSlots);
        Assert.Contains("Two.slots", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pool_member_locked_by_name_is_not_leased()
    {
        var pool = LockDir.UniqueName("database");
        var db1 = LockDir.UniqueName("db1");
        var db2 = LockDir.UniqueName("db2");
        await using var byName = HelperProcess.StartHelper(Target.Environment(), "hold", db1);
        await byName.WaitForLineAsync("HELD", Token);
        await using var lease = await Target.Factory.CreatePool(pool, [db1, db2]).AcquireAsync(HelperProcess.LineLimit, Token);
        Assert.Equal(db2, lease.Member);
        Assert.Null(await HelperProcess.RunInAnotherFlow(() => Target.Factory.CreateLock(db2).TryAcquire()));
    }

    [Fact]
    public async Task A_free_pool_lends_its_first_member_and_the_journal_shows_that_lease_alone()
    {
        // On a server every member is tried at once: the others, won in the same moment, go back unrecorded.
        var events = Directory.CreateTempSubdirectory("testlocks-events-").FullName;
        var factory = new LockFactory(Target.Settings with { EventsPath = events });
        string[] members = [LockDir.UniqueName("m1"), LockDir.UniqueName("m2"), LockDir.UniqueName("m3")];
        await using (var lease = await factory.CreatePool(LockDir.UniqueName("lenders"), members, new LockOptions { Owner = "Pool.first" }).AcquireAsync(HelperProcess.LineLimit, Token))
        {
            Assert.Equal(members[0], lease.Member);
            using var second = await HelperProcess.RunInAnotherFlow(() => Target.Factory.CreateLock(members[1]).TryAcquire());
            using var third = await HelperProcess.RunInAnotherFlow(() => Target.Factory.CreateLock(members[2]).TryAcquire());
            Assert.NotNull(second);
            Assert.NotNull(third);
        }
        var lines = System.IO.File.ReadAllLines(Assert.Single(Directory.GetFiles(events))).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(l => l.TryGetProperty("test", out var t) && t.GetString() == "Pool.first").ToList();
        Assert.Equal(["acquire", "release"], lines.Select(l => l.GetProperty("event").GetString()));
        Assert.All(lines, l => Assert.Equal(members[0], l.GetProperty("lock").GetString()));
    }

    public void Dispose()
    {
        Target.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class FileCountedLocks() : CountedLockBehaviourTests(new FileTarget());

public sealed class PostgresCountedLocks(Servers.SharedServers servers) : CountedLockBehaviourTests(ServerTarget.Postgres(servers.Postgres));

public sealed class RedisCountedLocks(Servers.SharedServers servers) : CountedLockBehaviourTests(ServerTarget.Redis(servers.Redis));
