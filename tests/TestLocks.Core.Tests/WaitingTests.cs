using Microsoft.Extensions.Logging;
using TestLocks.Core.Tests.Infrastructure;
using TestLocks.Diagnostics;

namespace TestLocks.Core.Tests;

/// <summary>Timeouts, cancellation, and what a waiter is told about the holder.</summary>
public sealed class WaitingTests
{
    [Fact]
    public async Task TryAcquire_returns_null_when_another_process_holds_the_lock_past_the_timeout()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("try");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await holder.WaitForLineAsync("HELD");
        var @lock = dir.Factory.CreateLock(name);
        Assert.Null(@lock.TryAcquire());
        Assert.Null(@lock.TryAcquire(TimeSpan.FromMilliseconds(50)));
        Assert.Null(await @lock.TryAcquireAsync(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken));
        await holder.SendAsync("release");
        await holder.WaitForLineAsync("RELEASED");
        using var handle = @lock.TryAcquire(HelperProcess.LineLimit);
        Assert.NotNull(handle);
    }

    [Fact]
    public async Task A_lock_timeout_names_the_lock_the_file_the_time_waited_and_the_holder()
    {
        using var dir = new LockDir(prefix: "tempest-");
        var name = LockDir.UniqueName("quota");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name, "write", "Compute.test_resize");
        var held = await holder.WaitForLineAsync("HELD");
        var @lock = dir.Factory.CreateLock(name);

        var sync = Assert.Throws<LockTimeoutException>(() => @lock.Acquire(TimeSpan.FromMilliseconds(100)));
        var async = await Assert.ThrowsAsync<LockTimeoutException>(() => @lock.AcquireAsync(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken).AsTask());

        foreach (var e in new[] { sync, async })
        {
            Assert.Equal("tempest-" + name, e.LockName);
            Assert.Contains(dir.File("tempest-" + name), e.Message, StringComparison.Ordinal);
            Assert.Contains($"pid {held.Split(' ')[1]}", e.Message, StringComparison.Ordinal);
            Assert.Contains("Compute.test_resize", e.Message, StringComparison.Ordinal);
            Assert.Contains("lock_timeout", e.Message, StringComparison.Ordinal);
            Assert.True(e.Waited >= TimeSpan.FromMilliseconds(100));
            Assert.IsAssignableFrom<TestLocksException>(e);
        }
    }

    [Fact]
    public async Task The_configured_lock_timeout_applies_when_the_caller_gives_none()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("cfgtimeout");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await holder.WaitForLineAsync("HELD");
        var factory = new LockFactory(dir.Settings with { LockTimeout = TimeSpan.FromMilliseconds(50) });
        Assert.Throws<LockTimeoutException>(() => factory.CreateLock(name).Acquire());
    }

    [Trait("Needs", "Linux")] // /proc/locks, Unix modes or setpriv: the platform contract covers the rest elsewhere
    [Fact]
    public async Task Cancelling_a_wait_on_another_process_returns_at_once_and_leaves_the_lock_usable()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("cancel");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await holder.WaitForLineAsync("HELD");
        var @lock = dir.Factory.CreateLock(name);

        using var cts = new CancellationTokenSource();
        var waiting = @lock.AcquireAsync(cancellationToken: cts.Token).AsTask();
        await ProcLocks.WaitForBlockedAsync(dir.File(name), 1);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken));

        // Sync form too.
        using var cts2 = new CancellationTokenSource();
        var syncStarted = new TaskCompletionSource();
        var waitingLock = dir.Factory.CreateLock(name, new LockOptions { OnWaiting = _ => syncStarted.TrySetResult() });
        var syncWaiting = Task.Run(() => waitingLock.Acquire(cancellationToken: cts2.Token), TestContext.Current.CancellationToken);
        await syncStarted.Task.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);
        await ProcLocks.WaitForBlockedAsync(dir.File(name), 1); // it adopted the wait abandoned above: still one in the kernel
        Assert.Equal(1, ProcLocks.CountBlocked(dir.File(name)));
        await cts2.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => syncWaiting.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken));

        // The abandoned kernel waits must not keep the lock once the holder lets go.
        await holder.SendAsync("release");
        await holder.WaitForLineAsync("RELEASED");
        await using var handle = await @lock.AcquireAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);
        await using var other = HelperProcess.StartHelper(dir.Environment(), "wait", name);
        await other.WaitForLineAsync("WAITING");
        await handle.DisposeAsync();
        await other.WaitForLineAsync("ACQUIRED");
    }

    [Fact]
    public async Task Cancelling_a_wait_on_another_thread_removes_the_waiter_from_the_queue()
    {
        using var dir = new LockDir();
        var @lock = dir.Factory.CreateLock(LockDir.UniqueName("cancel-inproc"));
        var holding = await @lock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var cts = new CancellationTokenSource();
        var waiting = HelperProcess.RunInAnotherFlow(() => @lock.AcquireAsync(cancellationToken: cts.Token).AsTask()).Unwrap();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await holding.DisposeAsync();
        using var again = @lock.TryAcquire();
        Assert.NotNull(again);
    }

    [Fact]
    public async Task A_waiting_caller_is_told_at_once_who_holds_the_lock()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("notice");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name, "write", "Aggregates.test_add_host");
        var held = await holder.WaitForLineAsync("HELD");
        var notices = new List<LockWaitNotice>();
        var waiting = dir.Factory.CreateLock(name, new LockOptions { OnWaiting = n => { lock (notices) notices.Add(n); } })
            .AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();
        LockWaitNotice notice;
        lock (notices) notice = Assert.Single(notices);
        Assert.Equal(int.Parse(held.Split(' ')[1]), notice.Holder!.ProcessId);
        Assert.Equal("Aggregates.test_add_host", notice.Holder.Owner);
        Assert.Equal(Environment.MachineName, notice.Holder.Host);
        Assert.Contains("Aggregates.test_add_host", notice.ToString(), StringComparison.Ordinal);
        await holder.SendAsync("release");
        await using var handle = await waiting;
    }

    [Fact]
    public async Task A_long_wait_is_logged_every_warn_after_with_the_holder()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("warn");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name, "write", "Slow.test");
        await holder.WaitForLineAsync("HELD");
        var logger = new ListLogger();
        var factory = new LockFactory(dir.Settings with { WarnAfter = TimeSpan.FromMilliseconds(20) }, new SingleLoggerFactory(logger));
        var twoWarnings = logger.WaitForAsync(m => m.StartsWith("Still waiting", StringComparison.Ordinal), count: 2);
        var waiting = factory.CreateLock(name).AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();
        var warnings = await twoWarnings.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);
        Assert.All(warnings, w => Assert.Contains("Slow.test", w, StringComparison.Ordinal));
        await holder.SendAsync("release");
        await using var handle = await waiting;
        Assert.Contains(logger.Messages, m => m.StartsWith($"Lock \"{name}\" acquired by", StringComparison.Ordinal) && m.Contains(":: waited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_watchdog_logs_a_block_that_runs_too_long()
    {
        var logger = new ListLogger();
        var logged = logger.WaitForAsync(m => m.Contains("create server not completed after", StringComparison.Ordinal), count: 1);
        using (Watchdog.Watch(logger, "create server", LogLevel.Warning, TimeSpan.FromMilliseconds(10)))
        {
            await logged.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);
        }
        using (Watchdog.Watch(logger, "quick", LogLevel.Warning, TimeSpan.FromHours(1))) { }
        Assert.DoesNotContain(logger.Messages, m => m.Contains("quick", StringComparison.Ordinal));
    }
}
