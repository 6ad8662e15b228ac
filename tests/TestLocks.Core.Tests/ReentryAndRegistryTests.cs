using TestLocks.Core.Tests.Infrastructure;
using TestLocks.InProcess;

namespace TestLocks.Core.Tests;

/// <summary>Taking a held lock again fails at once; the registry of names stays flat.</summary>
public sealed class ReentryAndRegistryTests
{
    [Fact]
    public void Taking_a_lock_again_in_the_same_thread_fails_at_once_instead_of_hanging()
    {
        using var dir = new LockDir();
        var @lock = dir.Factory.CreateLock(LockDir.UniqueName("reentry"));
        using (@lock.Acquire())
        {
            var e = Assert.Throws<LockReentryException>(() => @lock.Acquire());
            Assert.Contains(@lock.Name, e.Message, StringComparison.Ordinal);
            Assert.Throws<LockReentryException>(() => dir.Factory.CreateReaderWriterLock(@lock.Name).ReadLock.TryAcquire());
        }
        using var again = @lock.Acquire(); // released: fine again
    }

    [Fact]
    public async Task Taking_a_lock_again_in_the_same_async_flow_fails_at_once()
    {
        using var dir = new LockDir();
        var @lock = dir.Factory.CreateLock(LockDir.UniqueName("reentry-async"));
        await using (await @lock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            await Task.Yield();
            await Assert.ThrowsAsync<LockReentryException>(() => @lock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask());
        }
        await using var again = await @lock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_task_started_while_holding_a_lock_counts_as_the_same_flow_and_fails_instead_of_deadlocking()
    {
        using var dir = new LockDir();
        var @lock = dir.Factory.CreateLock(LockDir.UniqueName("child-task"));
        await using (await @lock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            // Awaiting a child that waits for our own lock would hang forever; TestLocks fails the child instead.
            await Assert.ThrowsAsync<LockReentryException>(() => Task.Run(() => @lock.Acquire(), TestContext.Current.CancellationToken));
            // Unrelated flows simply wait their turn.
            Assert.Null(await HelperProcess.RunInAnotherFlow(() => @lock.TryAcquire()));
        }
    }

    [Fact]
    public async Task A_failed_acquire_does_not_count_as_holding_the_lock()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("failed");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await holder.WaitForLineAsync("HELD");
        var @lock = dir.Factory.CreateLock(name);
        Assert.Null(@lock.TryAcquire());
        await holder.SendAsync("release");
        await holder.WaitForLineAsync("RELEASED");
        using var handle = @lock.Acquire(HelperProcess.LineLimit); // would throw LockReentryException if the failure had left a mark
    }

    [Fact]
    public async Task A_handle_can_be_released_from_another_thread()
    {
        using var dir = new LockDir();
        var @lock = dir.Factory.CreateLock(LockDir.UniqueName("other-thread"));
        var handle = @lock.Acquire();
        await Task.Run(handle.Dispose, TestContext.Current.CancellationToken);
        handle.Dispose(); // idempotent
        await handle.DisposeAsync();
        Assert.True(handle.IsReleased);
        using var again = @lock.TryAcquire();
        Assert.NotNull(again);
    }

    [Fact]
    public void The_registry_forgets_names_nobody_holds_or_waits_on()
    {
        using var dir = new LockDir();
        var prefix = Guid.NewGuid().ToString("N");
        for (var i = 0; i < 100_000; i++)
        {
            using var handle = dir.Factory.CreateLock($"{prefix}-{i}", new LockOptions { External = false }).Acquire();
            Assert.True(LockRegistry.Contains($"{prefix}-{i}"));
        }
        // Other tests run in parallel, so look for this test's names rather than at the table's size.
        Assert.DoesNotContain(Enumerable.Range(0, 100_000), i => LockRegistry.Contains($"{prefix}-{i}"));
    }

    [Fact]
    public async Task A_writer_waiting_on_readers_goes_before_readers_that_come_after_it()
    {
        using var dir = new LockDir();
        var rw = dir.Factory.CreateReaderWriterLock(LockDir.UniqueName("fifo"), new LockOptions { External = false });
        var order = new List<string>();
        var reader1 = await rw.ReadLock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken);
        var writer = HelperProcess.RunInAnotherFlow(async () => { await using (await rw.WriteLock.AcquireAsync()) lock (order) order.Add("writer"); });
        await WaitUntil(() => LockRegistryWaiters(rw) >= 1);
        var reader2 = HelperProcess.RunInAnotherFlow(async () => { await using (await rw.ReadLock.AcquireAsync()) lock (order) order.Add("reader2"); });
        await WaitUntil(() => LockRegistryWaiters(rw) >= 2);
        await reader1.DisposeAsync();
        await Task.WhenAll(await writer, await reader2);
        Assert.Equal(["writer", "reader2"], order);
    }

    private static int LockRegistryWaiters(TestReaderWriterLock rw) => LockRegistry.QueuedOn(rw.Name);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + HelperProcess.LineLimit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition never became true");
            await Task.Yield();
        }
    }
}
