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
    public async Task A_timeout_that_ends_during_the_first_try_still_tells_the_waiter_who_holds_the_lock()
    {
        // On a loaded machine the first try can take the whole of a short timeout: the caller still asked to wait.
        using var dir = new LockDir();
        var name = LockDir.UniqueName("short");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name, "write", "Aggregates.test_add_host");
        await holder.WaitForLineAsync("HELD");
        var notices = new List<LockWaitNotice>();
        var @lock = dir.Factory.CreateLock(name, new LockOptions { OnWaiting = n => { lock (notices) notices.Add(n); } });

        await Assert.ThrowsAsync<LockTimeoutException>(() => @lock.AcquireAsync(TimeSpan.FromTicks(1), TestContext.Current.CancellationToken).AsTask());

        LockWaitNotice notice;
        lock (notices) notice = Assert.Single(notices);
        Assert.Equal("Aggregates.test_add_host", notice.Holder!.Owner);
        Assert.Null(@lock.TryAcquire());
        lock (notices) Assert.Single(notices);
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
    [Trait("Needs", "Python")] // a busy Python holder: its lockf does not meet the flock strategy on Linux, nor a Windows run
    [Trait("Needs", "Linux")]  // the holder's CPU time comes from /proc
    public async Task Each_wait_notice_says_whether_the_holder_is_alive_and_the_CPU_time_it_used_since_the_previous_one()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("busy");
        await using var holder = HelperProcess.StartPython("busy_hold.py", dir.Environment(), dir.File(name));
        var pid = int.Parse((await holder.WaitForLineAsync("HELD")).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var notices = System.Threading.Channels.Channel.CreateUnbounded<LockWaitNotice>();
        var factory = new LockFactory(dir.Settings with { WarnAfter = TimeSpan.FromMilliseconds(200) });
        var @lock = factory.CreateLock(name, new LockOptions { OnWaiting = n => notices.Writer.TryWrite(n) });
        var waiting = @lock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();

        var first = await NextAsync(notices, _ => true);
        var working = await NextAsync(notices, n => n.Activity?.CpuTime > TimeSpan.Zero); // the busy loop gets CPU sooner or later
        Signal(pid, "STOP");
        var stopped = await NextAsync(notices, n => n.Activity?.State == "stopped");
        var idle = await NextAsync(notices, n => n.Activity?.State == "stopped"); // a whole interval while stopped
        Signal(pid, "KILL");
        await using var handle = await waiting; // the kernel freed the lock with its holder

        Assert.Equal(pid, first.Holder?.ProcessId);
        Assert.True(first.Activity!.Alive);
        Assert.Null(first.Activity.CpuTime); // no interval yet
        Assert.True(working.Activity!.Alive);
        Assert.True(working.Activity.Interval >= TimeSpan.FromMilliseconds(150), $"{working.Activity.Interval}");
        Assert.Matches(@"; alive \(running\), \d+\.\d\ds CPU in the last \d+\.\ds$", working.ToString());
        Assert.True(stopped.Activity!.Alive);
        Assert.Equal(TimeSpan.Zero, idle.Activity!.CpuTime);
        Assert.EndsWith("; alive (stopped), 0.00s CPU in the last " + idle.Activity.Interval.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.CurrentCulture) + "s", idle.ToString(), StringComparison.Ordinal);
    }

    [Trait("Needs", "Python")] // a Python holder: its lockf does not meet the flock strategy on Linux, nor a Windows run
    [Trait("Needs", "Linux")]  // the process tree is read from /proc
    [Fact]
    public async Task A_holder_whose_child_process_does_the_work_is_shown_using_the_childs_CPU_time()
    {
        // testlocks run -- CMD, or a test running a command, sleeps while its child works: "0.00s CPU" would say it is stuck.
        using var dir = new LockDir();
        var name = LockDir.UniqueName("child");
        await using var holder = HelperProcess.StartPython("child_busy_hold.py", dir.Environment(), dir.File(name));
        var pid = int.Parse((await holder.WaitForLineAsync("HELD")).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var notices = System.Threading.Channels.Channel.CreateUnbounded<LockWaitNotice>();
        var factory = new LockFactory(dir.Settings with { WarnAfter = TimeSpan.FromMilliseconds(200) });
        var waiting = factory.CreateLock(name, new LockOptions { OnWaiting = n => notices.Writer.TryWrite(n) })
            .AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();

        var working = await NextAsync(notices, n => n.Activity?.CpuTime > TimeSpan.FromMilliseconds(50) && n.Activity.Interval > TimeSpan.Zero);
        await holder.SendAsync("release");
        await using var handle = await waiting;

        Assert.Equal(pid, working.Holder?.ProcessId);
        Assert.Equal("sleeping", working.Activity!.State); // the holder itself waits for its child
    }

    private static async Task<LockWaitNotice> NextAsync(System.Threading.Channels.Channel<LockWaitNotice> notices, Func<LockWaitNotice, bool> match)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(HelperProcess.LineLimit);
        while (true)
        {
            var notice = await notices.Reader.ReadAsync(limit.Token);
            if (match(notice)) return notice;
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
