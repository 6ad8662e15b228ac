using System.Globalization;

namespace TestLocks.Core.Tests;

/// <summary>Counted locks and pools on lock files: at most N holders across threads and real processes, killed holders,
/// kernel wake-ups, disagreement on N, and pool members locked by name.</summary>
public sealed class CountedLockTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Threads_of_one_process_never_hold_more_than_N_slots_and_each_holds_a_slot_nobody_else_holds()
    {
        using var dir = new LockDir();
        var counted = dir.Factory.CreateSemaphore(LockDir.UniqueName("threads"), 3);
        var inside = 0;
        var maxInside = 0;
        var slotUsers = new int[4];
        var workers = Enumerable.Range(0, 10).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                // Half the workers use the blocking form, half the async one: both must count alike.
                var handle = w % 2 == 0 ? counted.Acquire(HelperProcess.LineLimit, Token) : await counted.AcquireAsync(HelperProcess.LineLimit, Token);
                try
                {
                    Assert.Equal(1, Interlocked.Increment(ref slotUsers[handle.Slot]));
                    InterlockedMax(ref maxInside, Interlocked.Increment(ref inside));
                    await Task.Yield();
                    Interlocked.Decrement(ref inside);
                    Interlocked.Decrement(ref slotUsers[handle.Slot]);
                }
                finally
                {
                    await handle.DisposeAsync();
                }
            }
        }, Token));
        await Task.WhenAll(workers);
        Assert.InRange(maxInside, 1, 3);
    }

    [Trait("Needs", "Linux")] // the witness compares Stopwatch timestamps, the machine's monotonic clock, across processes
    [Fact]
    public async Task Processes_never_hold_more_than_N_slots_checked_by_a_witness()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("procs");
        const int processes = 5, iterations = 40, slots = 2;
        var witnesses = Enumerable.Range(0, processes).Select(i => dir.File($"witness-{i}")).ToList();
        var helpers = witnesses.Select(w => HelperProcess.StartHelper(dir.Environment(("TESTLOCKS_TEST_WITNESS", w)),
            "slotloop", name, slots.ToString(CultureInfo.InvariantCulture), iterations.ToString(CultureInfo.InvariantCulture))).ToList();
        try
        {
            foreach (var helper in helpers) await helper.WaitForLineAsync("DONE", Token);
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
    public async Task A_slot_of_a_holder_killed_with_SIGKILL_goes_to_the_waiter()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("killed");
        await using var first = HelperProcess.StartHelper(dir.Environment(), "slot", name, "2", "First.holder");
        Assert.Equal("HELD 1", await first.WaitForLineAsync("HELD", Token));
        await using var second = HelperProcess.StartHelper(dir.Environment(), "slot", name, "2", "Second.holder");
        Assert.Equal("HELD 2", await second.WaitForLineAsync("HELD", Token));

        var waiting = dir.Factory.CreateSemaphore(name, 2).AcquireAsync(HelperProcess.LineLimit, Token).AsTask();
        Assert.False(waiting.IsCompleted);
        second.KillHard();

        await using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
        Assert.Equal(2, handle.Slot);
        Assert.False(first.HasPrinted("RELEASED"));
    }

    [Trait("Needs", "Linux")] // /proc/locks shows the kernel's blocked waiters
    [Fact]
    public async Task A_waiter_blocks_in_the_kernel_on_every_slot_and_is_woken_by_whichever_slot_is_freed()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("woken");
        var holders = new List<HelperProcess>();
        try
        {
            await HoldEverySlotAsync(dir, name, holders);
            var waiting = dir.Factory.CreateSemaphore(name, 3).AcquireAsync(HelperProcess.LineLimit, Token).AsTask();

            // No polling: the one waiter sleeps in the kernel on all three slot files at once.
            for (var i = 1; i <= 3; i++) await ProcLocks.WaitForBlockedAsync(dir.File($"{name}.slot-{i}"), expectedWaiters: 1);
            Assert.False(waiting.IsCompleted);

            await holders[1].SendAsync("release"); // the middle one
            await using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
            Assert.Equal(2, handle.Slot);
            // The waits on the other slots were given up: when slot 1 is freed, another process gets it, not this one.
            await holders[0].SendAsync("release");
            await using var next = HelperProcess.StartHelper(dir.Environment(), "slot", name, "3", "Next.holder");
            Assert.Equal("HELD 1", await next.WaitForLineAsync("HELD", Token));
        }
        finally
        {
            foreach (var holder in holders) await holder.DisposeAsync();
        }
    }

    [Trait("Needs", "Linux")] // /proc/locks shows the kernel's blocked waiters; Linux alone can call a blocked wait off
    [Fact]
    public async Task A_waiter_that_got_a_slot_leaves_the_queues_of_the_other_slots_so_their_next_release_goes_to_the_next_waiter()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("left");
        var holders = new List<HelperProcess>();
        try
        {
            await HoldEverySlotAsync(dir, name, holders);
            var waiting = dir.Factory.CreateSemaphore(name, 3).AcquireAsync(HelperProcess.LineLimit, Token).AsTask();
            for (var i = 1; i <= 3; i++) await ProcLocks.WaitForBlockedAsync(dir.File($"{name}.slot-{i}"), expectedWaiters: 1);

            await holders[1].SendAsync("release");
            await using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
            Assert.Equal(2, handle.Slot);
            // The waits on slots 1 and 3 are called off in the kernel, not left blocked until they win a slot nobody
            // here wants (which would put them ahead of the next real waiter on every release).
            await ProcLocks.WaitForBlockedAtMostAsync(dir.File($"{name}.slot-1"), 0);
            await ProcLocks.WaitForBlockedAtMostAsync(dir.File($"{name}.slot-3"), 0);
        }
        finally
        {
            foreach (var holder in holders) await holder.DisposeAsync();
        }
    }

    [Trait("Needs", "Linux")] // /proc/locks shows the kernel's blocked waiters
    [Fact]
    public async Task A_blocking_waiter_that_got_a_slot_leaves_the_other_slots_queues_and_the_front_once_it_has_returned()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("blocking");
        var holders = new List<HelperProcess>();
        try
        {
            await HoldEverySlotAsync(dir, name, holders);
            // The blocking form leaves the front's release and the other waits' cancellation to its own thread, once it has
            // returned (so the thread that won the slot wakes the caller first): both must still happen.
            var counted = dir.Factory.CreateSemaphore(name, 3);
            var waiting = Task.Run(() => counted.Acquire(HelperProcess.LineLimit, Token), Token);
            for (var i = 1; i <= 3; i++) await ProcLocks.WaitForBlockedAsync(dir.File($"{name}.slot-{i}"), expectedWaiters: 1);

            await holders[1].SendAsync("release");
            using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
            Assert.Equal(2, handle.Slot);
            await ProcLocks.WaitForBlockedAtMostAsync(dir.File($"{name}.slot-1"), 0);
            await ProcLocks.WaitForBlockedAtMostAsync(dir.File($"{name}.slot-3"), 0);
            await using var second = HelperProcess.StartHelper(dir.Environment(), "slot", name, "3", "Second.waiter");
            await second.WaitForLineAsync("BLOCKED", Token);
            // The front is free: the second waiter takes it, lets the queue go and waits on every slot.
            for (var i = 1; i <= 3; i++) await ProcLocks.WaitForBlockedAsync(dir.File($"{name}.slot-{i}"), expectedWaiters: 1);
            handle.Dispose();
            Assert.Equal("HELD 2", await second.WaitForLineAsync("HELD", Token));
        }
        finally
        {
            foreach (var holder in holders) await holder.DisposeAsync();
        }
    }

    [Trait("Needs", "Linux")] // /proc/locks shows the kernel's blocked waiters
    [Fact]
    public async Task The_next_waiter_waits_on_every_slot_too_so_a_slot_freed_while_the_first_takes_its_own_is_taken_at_once()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("front");
        var holders = new List<HelperProcess>();
        try
        {
            await HoldEverySlotAsync(dir, name, holders);
            var first = dir.Factory.CreateSemaphore(name, 3).AcquireAsync(HelperProcess.LineLimit, Token).AsTask();
            for (var i = 1; i <= 3; i++) await ProcLocks.WaitForBlockedAsync(dir.File($"{name}.slot-{i}"), expectedWaiters: 1);
            await using var second = HelperProcess.StartHelper(dir.Environment(), "slot", name, "3", "Second.waiter");
            await second.WaitForLineAsync("BLOCKED", Token);

            // The first waiter holds the front and let the queue go: the second waits on the slots as well, not on the queue.
            for (var i = 1; i <= 3; i++) await ProcLocks.WaitForBlockedAsync(dir.File($"{name}.slot-{i}"), expectedWaiters: 2);

            await holders[0].SendAsync("release");
            await holders[2].SendAsync("release");
            await using var handle = await first.WaitAsync(HelperProcess.LineLimit, Token);
            var other = await second.WaitForLineAsync("HELD", Token);
            Assert.Equal(new[] { 1, 3 }, new[] { handle.Slot, int.Parse(other["HELD ".Length..], CultureInfo.InvariantCulture) }.Order());
        }
        finally
        {
            foreach (var holder in holders) await holder.DisposeAsync();
        }
    }

    [Fact]
    public async Task Waiters_are_told_every_holder_and_a_timeout_names_them_all()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("named");
        await using var first = HelperProcess.StartHelper(dir.Environment(), "slot", name, "2", "Quota.first_test");
        await first.WaitForLineAsync("HELD", Token);
        await using var second = HelperProcess.StartHelper(dir.Environment(), "slot", name, "2", "Quota.second_test");
        await second.WaitForLineAsync("HELD", Token);

        var notices = new List<LockWaitNotice>();
        var counted = dir.Factory.CreateSemaphore(name, 2, new LockOptions { OnWaiting = n => { lock (notices) notices.Add(n); } });
        var e = await Assert.ThrowsAsync<LockTimeoutException>(() => counted.AcquireAsync(TimeSpan.FromMilliseconds(200), Token).AsTask());

        Assert.Contains("2 of 2 slots held by", e.Message, StringComparison.Ordinal);
        Assert.Contains($"pid {first.Id}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Quota.first_test", e.Message, StringComparison.Ordinal);
        Assert.Contains("Quota.second_test", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.Holders!.Count);
        LockWaitNotice notice;
        lock (notices) notice = Assert.Single(notices);
        Assert.Equal(2, notice.Holders!.Count);
        var line = notice.ToString();
        Assert.Contains("2 of 2 slots held by", line, StringComparison.Ordinal);
        Assert.Contains("(Quota.first_test)", line, StringComparison.Ordinal);
        Assert.Contains("(Quota.second_test)", line, StringComparison.Ordinal);
        Assert.Contains("slot 1", line, StringComparison.Ordinal);
        Assert.Contains("slot 2", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_that_ends_during_the_first_try_still_tells_the_waiter_every_holder()
    {
        // On a loaded machine the first try of every slot can take the whole of a short timeout: the caller still
        // asked to wait, so it hears who holds the slots before the timeout (testlocks run --timeout 0.3 printed none).
        using var dir = new LockDir();
        var name = LockDir.UniqueName("short");
        var holders = new List<HelperProcess>();
        try
        {
            await HoldEverySlotAsync(dir, name, holders);
            var notices = new List<LockWaitNotice>();
            var counted = dir.Factory.CreateSemaphore(name, 3, new LockOptions { OnWaiting = n => { lock (notices) notices.Add(n); } });
            await Assert.ThrowsAsync<LockTimeoutException>(() => counted.AcquireAsync(TimeSpan.FromTicks(1), Token).AsTask());

            LockWaitNotice notice;
            lock (notices) notice = Assert.Single(notices);
            Assert.Contains("3 of 3 slots held by", notice.ToString(), StringComparison.Ordinal);
            Assert.Contains("(Holder.2)", notice.ToString(), StringComparison.Ordinal);
            // Only an acquire that asked to wait reports a wait: a try (timeout zero) stays silent.
            Assert.Null(await counted.TryAcquireAsync(TimeSpan.Zero, Token));
            lock (notices) Assert.Single(notices);
        }
        finally
        {
            foreach (var holder in holders) await holder.DisposeAsync();
        }
    }

    [Fact]
    public async Task Processes_that_disagree_on_the_slot_count_get_an_error_naming_both_counts()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("disagree");
        var holders = new List<HelperProcess>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                var holder = HelperProcess.StartHelper(dir.Environment(), "slot", name, "3", $"Three.slots{i}");
                holders.Add(holder);
                await holder.WaitForLineAsync("HELD", Token);
            }
            var e = await Assert.ThrowsAsync<SlotCountMismatchException>(() => dir.Factory.CreateSemaphore(name, 2).AcquireAsync(HelperProcess.LineLimit, Token).AsTask());
            Assert.Equal(2, e.Slots);
            Assert.Equal(3, e.OtherSlots);
            Assert.Contains("declared with 2 slots", e.Message, StringComparison.Ordinal);
            Assert.Contains("with 3 slots by its holder", e.Message, StringComparison.Ordinal);
            Assert.Contains("Three.slots", e.Message, StringComparison.Ordinal);
            Assert.Contains("agree", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var holder in holders) await holder.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_holder_beyond_this_slot_count_is_a_disagreement_too()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("beyond");
        var holders = new List<HelperProcess>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                var holder = HelperProcess.StartHelper(dir.Environment(), "slot", name, "3", $"Three.slots{i}");
                holders.Add(holder);
                await holder.WaitForLineAsync("HELD", Token);
            }
            for (var i = 0; i < 2; i++)
            {
                await holders[i].SendAsync("release");
                await holders[i].WaitForLineAsync("RELEASED", Token);
            }
            // Two holders that say 2 slots take slots 1 and 2 (free, so nothing is checked)...
            var two = dir.Factory.CreateSemaphore(name, 2);
            await using var a = await HelperProcess.RunInAnotherFlow(() => two.Acquire(HelperProcess.LineLimit, Token));
            await using var b = await HelperProcess.RunInAnotherFlow(() => two.Acquire(HelperProcess.LineLimit, Token));
            // ...and the next one, finding both busy, sees slot 3 held by a process that declared 3.
            var e = await Assert.ThrowsAsync<SlotCountMismatchException>(() => two.AcquireAsync(HelperProcess.LineLimit, Token).AsTask());
            Assert.Equal(2, e.Slots);
            Assert.Equal(3, e.OtherSlots);
            Assert.Contains("slot 3", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var holder in holders) await holder.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_pool_member_locked_by_name_is_never_leased_and_a_leased_member_cannot_be_locked_by_name()
    {
        using var dir = new LockDir("tempest");
        var db1 = LockDir.UniqueName("db1");
        var db2 = LockDir.UniqueName("db2");
        var pool = LockDir.UniqueName("database");
        await using var byName = HelperProcess.StartHelper(dir.Environment(), "hold", db1);
        await byName.WaitForLineAsync("HELD", Token);

        var database = dir.Factory.CreatePool(pool, [db1, db2]);
        await using var lease = await database.AcquireAsync(HelperProcess.LineLimit, Token);
        Assert.Equal(db2, lease.Member);
        Assert.Equal(2, lease.Slot);
        Assert.Equal($"tempest-{db2}", lease.SlotHandle.Name); // the member's own lock file, prefix included
        // Another flow finds no member to lease, even after a wait on both (a try bounded by LineLimit waited it out: 60 s).
        Assert.Null(await HelperProcess.RunInAnotherFlow(() => database.TryAcquire(TimeSpan.FromSeconds(1), Token)));

        await using var other = HelperProcess.StartHelper(dir.Environment(), "wait", db2);
        await other.WaitForLineAsync("BLOCKED", Token); // the member's plain lock waits for the lease
        await lease.DisposeAsync();
        await other.WaitForLineAsync("ACQUIRED", Token);
    }

    [Fact]
    public async Task A_lease_from_another_process_names_its_member()
    {
        using var dir = new LockDir();
        var pool = LockDir.UniqueName("accounts");
        await using var first = HelperProcess.StartHelper(dir.Environment(), "lease", pool, "alice,bob", "Accounts.first");
        Assert.Equal("HELD alice", await first.WaitForLineAsync("HELD", Token));
        await using var mine = await dir.Factory.CreatePool(pool, ["alice", "bob"]).AcquireAsync(HelperProcess.LineLimit, Token);
        Assert.Equal("bob", mine.Member);
        await using var third = HelperProcess.StartHelper(dir.Environment(), "lease", pool, "alice,bob", "Accounts.third");
        var blocked = await third.WaitForLineAsync("BLOCKED", Token);
        Assert.Contains("member alice", blocked, StringComparison.Ordinal);
        Assert.Contains("Accounts.first", blocked, StringComparison.Ordinal);
        await mine.DisposeAsync();
        Assert.Equal("HELD bob", await third.WaitForLineAsync("HELD", Token));
    }

    [Fact]
    public void Slot_counts_outside_1_to_64_and_bad_pools_are_refused_with_the_setting_named()
    {
        var factory = new LockFactory(new TestLocksSettings { LockPath = Path.GetTempPath() });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => factory.CreateSemaphore("quota", 65));
        Assert.Contains("1 to 64", e.Message, StringComparison.Ordinal);
        Assert.Contains("Slots =", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => factory.CreateSemaphore("quota", 0));
        Assert.Throws<ArgumentException>(() => factory.CreatePool("database", ["db1", "db1"]));
        var missing = Assert.Throws<TestLocksConfigurationException>(() => factory.CreatePool("database"));
        Assert.Contains("[testlocks.pools]", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pools_are_read_from_the_INI_file_and_a_bad_one_names_its_line()
    {
        using var dir = new LockDir();
        var ini = dir.File("testlocks.conf");
        File.WriteAllText(ini, "[testlocks]\nlock_timeout = 30\n\n[testlocks.pools]\ndatabase = db1, db2 ,db3\naccounts = alice\n");
        var settings = TestLocksSettings.Load(ini, new Dictionary<string, string?>());
        Assert.Equal(["db1", "db2", "db3"], settings.Pools["database"]);
        Assert.Equal(["alice"], settings.Pools["accounts"]);
        Assert.Equal(["db1", "db2", "db3"], new LockFactory(settings).CreatePool("database").Members);

        File.WriteAllText(ini, "[testlocks.pools]\ndatabase = db1, db1\n");
        var e = Assert.Throws<TestLocksConfigurationException>(() => TestLocksSettings.Load(ini, new Dictionary<string, string?>()));
        Assert.Contains($"{ini} (line 2)", e.Message, StringComparison.Ordinal);
        Assert.Contains("twice", e.Message, StringComparison.Ordinal);
        File.WriteAllText(ini, "[testlocks.pools]\ndatabase = ,\n");
        e = Assert.Throws<TestLocksConfigurationException>(() => TestLocksSettings.Load(ini, new Dictionary<string, string?>()));
        Assert.Contains("1 to 64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flow_that_holds_a_slot_and_asks_again_is_refused_at_once()
    {
        using var dir = new LockDir();
        var counted = dir.Factory.CreateSemaphore(LockDir.UniqueName("again"), 2);
        await using var held = await counted.AcquireAsync(HelperProcess.LineLimit, Token);
        Assert.Throws<LockReentryException>(() => counted.TryAcquire());
    }

    [Fact]
    public async Task In_process_only_counted_locks_count_too()
    {
        using var dir = new LockDir();
        var counted = dir.Factory.CreateSemaphore(LockDir.UniqueName("internal"), 2, new LockOptions { External = false });
        Assert.False(counted.IsExternal);
        var a = await HelperProcess.RunInAnotherFlow(() => counted.Acquire(HelperProcess.LineLimit, Token));
        var b = await HelperProcess.RunInAnotherFlow(() => counted.Acquire(HelperProcess.LineLimit, Token));
        Assert.Equal([1, 2], new[] { a.Slot, b.Slot }.Order());
        var waiting = HelperProcess.RunInAnotherFlow(() => counted.AcquireAsync(HelperProcess.LineLimit, Token).AsTask()).Unwrap();
        Assert.False(waiting.IsCompleted);
        await a.DisposeAsync();
        await using var c = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
        Assert.Equal(a.Slot, c.Slot);
        await b.DisposeAsync();
    }

    /// <summary>Starts three helper processes that hold slots 1, 2 and 3 of the counted lock <paramref name="name"/> of three
    /// slots (Holder.1 .. Holder.3), each added to <paramref name="holders"/> (for the caller to dispose) once it holds.</summary>
    private static async Task HoldEverySlotAsync(LockDir dir, string name, List<HelperProcess> holders)
    {
        for (var i = 1; i <= 3; i++)
        {
            var holder = HelperProcess.StartHelper(dir.Environment(), "slot", name, "3", $"Holder.{i}");
            holders.Add(holder);
            Assert.Equal($"HELD {i}", await holder.WaitForLineAsync("HELD", Token));
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
