using TestLocks.Xunit.Scheduling;

namespace TestLocks.Xunit.Tests.Scheduling;

/// <summary>The parallel slots of the TestLocks scheduler for xUnit v3 (the real runner: the contract's one-slot test).</summary>
public sealed class SlotPoolTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_test_done_waiting_for_its_lock_takes_a_slot_at_once_over_the_limit_and_no_collection_starts_until_that_is_paid_back()
    {
        var pool = new SlotPool(1);
        var waiter = await pool.TakeAsync(Token);
        var second = pool.TakeAsync(Token).AsTask();
        Assert.False(second.IsCompleted); // one slot

        waiter.Leave(); // its test waits for a lock: the next collection starts in its slot
        var other = await second;
        waiter.Rejoin(); // it may hold its locks now: it never waits for a slot
        Assert.True(waiter.Held);
        Assert.Equal(-1, pool.Free); // two tests in one slot, for a moment

        var third = pool.TakeAsync(Token).AsTask();
        other.Release(); // pays the overdraft back: the collection in line still waits
        Assert.Equal(0, pool.Free);
        Assert.False(third.IsCompleted);

        waiter.Release();
        (await third).Release();
        Assert.Equal(1, pool.Free);
    }

    [Fact]
    public async Task A_test_whose_flows_wait_at_once_holds_no_slot_until_the_last_wait_ends()
    {
        var pool = new SlotPool(1);
        var slot = await pool.TakeAsync(Token);
        slot.Leave();
        slot.Leave();
        Assert.Equal(1, pool.Free);

        slot.Rejoin(); // the other flow still waits
        Assert.False(slot.Held);
        slot.Rejoin();
        Assert.True(slot.Held);
        Assert.Equal(0, pool.Free);
        slot.Release();
        Assert.Equal(1, pool.Free);
    }

    [Fact]
    public async Task A_wait_that_ends_after_its_collection_ended_takes_no_slot()
    {
        var pool = new SlotPool(1);
        var slot = await pool.TakeAsync(Token);
        slot.Leave(); // a test that timed out while it waited, or a fire-and-forget task
        slot.Release(); // the collection has ended meanwhile
        slot.Rejoin(); // the wait ends later

        Assert.False(slot.Held);
        Assert.Equal(1, pool.Free);
        var next = pool.TakeAsync(Token).AsTask();
        Assert.True(next.IsCompletedSuccessfully);
        (await next).Release();
    }

    [Fact]
    public async Task A_wait_that_starts_after_its_collection_ended_gives_nothing_back()
    {
        var pool = new SlotPool(1);
        var slot = await pool.TakeAsync(Token);
        slot.Release();
        var next = await pool.TakeAsync(Token);

        slot.Leave(); // a fire-and-forget task of the ended collection starts to wait
        Assert.Equal(0, pool.Free); // the slot is the next collection's, not a second one
        slot.Rejoin();
        Assert.Equal(0, pool.Free);
        next.Release();
        Assert.Equal(1, pool.Free);
    }
}
