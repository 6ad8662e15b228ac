using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>A holder that dies, and lock files deleted or replaced under a waiter.</summary>
public sealed class CrashAndTamperingTests
{
    [Fact]
    public async Task A_waiter_gets_the_lock_when_its_holder_is_killed_with_SIGKILL_again_and_again()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("crash");
        var @lock = dir.Factory.CreateLock(name);
        for (var round = 0; round < 5; round++)
        {
            await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name);
            await holder.WaitForLineAsync("HELD");
            var waiting = @lock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();
            Assert.False(waiting.IsCompleted);

            holder.KillHard();

            // The kernel drops a dead process's locks and wakes the waiter; a hang here fails via the test timeout below.
            var handle = await waiting.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);
            Assert.NotEqual(0, await holder.WaitForExitAsync());
            await handle.DisposeAsync();
        }
    }

    [Trait("Needs", "Linux")] // /proc/locks, Unix modes or setpriv: the platform contract covers the rest elsewhere
    [Fact]
    public async Task A_lock_file_deleted_during_a_wait_never_gives_two_holders()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("deleted");
        await using var first = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await first.WaitForLineAsync("HELD");
        await using var waiter = HelperProcess.StartHelper(dir.Environment(), "wait", name);
        await waiter.WaitForLineAsync("WAITING");
        await ProcLocks.WaitForBlockedAsync(dir.File(name), expectedWaiters: 1);

        // Someone removes the lock file (oslo's remove_external_lock_file) and a newcomer locks the new file...
        File.Delete(dir.File(name));
        await using var newcomer = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await newcomer.WaitForLineAsync("HELD");
        // ...then the first holder releases the old inode: the waiter wakes on a file nobody else uses any more.
        await first.SendAsync("release");
        await first.WaitForLineAsync("RELEASED");

        // The waiter must notice and queue on the new file (the kernel shows it blocked there), never acquire the old one.
        await ProcLocks.WaitForBlockedAsync(dir.File(name), 1);
        Assert.False(waiter.HasPrinted("ACQUIRED"), "the waiter acquired a deleted lock file while another process held the new one");
        await newcomer.SendAsync("release");
        await waiter.WaitForLineAsync("ACQUIRED");
    }

    [Trait("Needs", "Linux")] // /proc/locks, Unix modes or setpriv: the platform contract covers the rest elsewhere
    [Fact]
    public async Task A_lock_file_replaced_during_a_wait_never_gives_two_holders()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("replaced");
        await using var first = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await first.WaitForLineAsync("HELD");
        var waiting = dir.Factory.CreateLock(name).AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();
        await ProcLocks.WaitForBlockedAsync(dir.File(name), expectedWaiters: 1);

        // Replace the file by rename, then lock the replacement from another process.
        var replacement = dir.File("replacement");
        await File.WriteAllTextAsync(replacement, "", TestContext.Current.CancellationToken);
        File.Move(replacement, dir.File(name), overwrite: true);
        await using var newcomer = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await newcomer.WaitForLineAsync("HELD");
        await first.SendAsync("release");
        await first.WaitForLineAsync("RELEASED");

        await ProcLocks.WaitForBlockedAsync(dir.File(name), 1); // now blocked on the replacement's inode
        Assert.False(waiting.IsCompleted, "acquired the replaced file while another process held its replacement");
        await newcomer.SendAsync("release");
        await using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);
        Assert.Equal(dir.File(name), dir.Factory.CreateLock(name).Location);
    }
}
