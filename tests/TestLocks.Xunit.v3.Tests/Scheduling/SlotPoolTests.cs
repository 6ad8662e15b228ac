using TestLocks.Xunit.Scheduling;

namespace TestLocks.Xunit.Tests.Scheduling;

/// <summary>The parallel slots of the TestLocks scheduler for xUnit v3 (the real runner: the contract's one-slot test).</summary>
public sealed class SlotPoolTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_test_done_waiting_for_its_lock_takes_the_next_free_slot_before_collections_not_yet_started()
    {
        var pool = new SlotPool(1);
        var waiter = await pool.TakeAsync(Token);
        var second = pool.TakeAsync(Token).AsTask();
        Assert.False(second.IsCompleted); // one slot

        waiter.Leave(); // its test waits for a lock: the next collection starts in its slot
        var other = await second;
        var returning = waiter.ReturnAsync().AsTask(); // its locks are held: it needs a slot again
        var third = pool.TakeAsync(Token).AsTask();
        Assert.False(returning.IsCompleted);

        other.Release(); // the slot goes to the test that returns, not to the collection in line
        await returning;
        Assert.True(waiter.Held);
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

        await slot.ReturnAsync(); // the other flow still waits
        Assert.False(slot.Held);
        await slot.ReturnAsync();
        Assert.True(slot.Held);
        Assert.Equal(0, pool.Free);
        slot.Release();
        Assert.Equal(1, pool.Free);
    }
}
