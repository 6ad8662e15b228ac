using System.Collections.Concurrent;
using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>A wait whose holder is a test of this process that waits, in turn, for a lock the waiter holds is named as a deadlock.</summary>
public sealed class DeadlockNoticeTests
{
    [Fact]
    public async Task Two_tests_of_one_process_that_each_hold_the_lock_the_other_waits_for_are_named_in_the_wait_notice_as_a_deadlock()
    {
        using var dir = new LockDir();
        var x = LockDir.UniqueName("x");
        var y = LockDir.UniqueName("y");
        var notices = new ConcurrentQueue<(string Owner, LockWaitNotice Notice)>();
        var aHoldsX = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bHoldsY = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aWaits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TestLock Lock(string name, string owner) => dir.Factory.CreateLock(name, new LockOptions
        {
            Owner = owner,
            OnWaiting = n =>
            {
                notices.Enqueue((owner, n));
                if (owner == "TestA") aWaits.TrySetResult();
            },
        });

        // TestA holds x and waits for y; TestB holds y and then waits for x: neither can go on.
        var a = Task.Run(async () =>
        {
            await using var held = await Lock(x, "TestA").AcquireAsync(TimeSpan.FromSeconds(30));
            aHoldsX.SetResult();
            await bHoldsY.Task;
            await using var other = await Lock(y, "TestA").AcquireAsync(TimeSpan.FromSeconds(30)); // TestB gives up first
        });
        var b = Task.Run(async () =>
        {
            await using (await Lock(y, "TestB").AcquireAsync(TimeSpan.FromSeconds(30)))
            {
                bHoldsY.SetResult();
                await aWaits.Task;
                await Assert.ThrowsAsync<LockTimeoutException>(() => Lock(x, "TestB").AcquireAsync(TimeSpan.FromSeconds(1)).AsTask());
            }
        });
        await Task.WhenAll(a, b).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        var first = notices.First(n => n.Owner == "TestA").Notice; // TestB did not wait yet: a slow holder, no deadlock
        Assert.Null(first.Deadlock);
        var seen = notices.First(n => n.Owner == "TestB").Notice;
        var (fullX, fullY) = (dir.Factory.CreateLock(x).Name, dir.Factory.CreateLock(y).Name);
        Assert.Equal([$"TestB waits for \"{fullX}\", held by TestA", $"TestA waits for \"{fullY}\", held by TestB"], seen.Deadlock);
        Assert.Contains("DEADLOCK in this process", seen.ToString(), StringComparison.Ordinal);
    }
}
