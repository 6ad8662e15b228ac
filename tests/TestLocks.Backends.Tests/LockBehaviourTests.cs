using System.Diagnostics;

namespace TestLocks.Backends.Tests;

/// <summary>
/// What every backend must do, written once and run against lock files, PostgreSQL and Redis by the subclasses
/// at the end of this file. Cross-process tests use the TestHelper program, pointed at the same backend.
/// </summary>
public abstract class LockBehaviourTests(BackendTarget target) : IDisposable
{
    protected BackendTarget Target { get; } = target;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Processes_with_several_threads_each_never_hold_a_lock_at_the_same_time()
    {
        var counter = Target.File("counter.txt");
        var name = LockDir.UniqueName("stress");
        const int Processes = 3, Threads = 2;
        var iterations = Target.StressIterations;
        var workers = Enumerable.Range(0, Processes)
            .Select(_ => HelperProcess.StartHelper(Target.Environment(), "count", name, counter, $"{iterations}", $"{Threads}")).ToList();
        foreach (var w in workers)
        {
            await w.WaitForLineAsync("DONE");
            Assert.Equal(0, await w.WaitForExitAsync());
            await w.DisposeAsync();
        }
        Assert.Equal(Processes * Threads * iterations, int.Parse(await System.IO.File.ReadAllTextAsync(counter, Token)));
    }

    [Fact]
    public async Task Readers_in_several_processes_share_the_lock_and_a_writer_waits_for_all_of_them()
    {
        var name = LockDir.UniqueName("rw");
        await using var reader1 = HelperProcess.StartHelper(Target.Environment(), "hold", name, "read");
        await using var reader2 = HelperProcess.StartHelper(Target.Environment(), "hold", name, "read");
        await reader1.WaitForLineAsync("HELD");
        await reader2.WaitForLineAsync("HELD");
        var rw = Target.Factory.CreateReaderWriterLock(name);
        using (var shared = rw.ReadLock.TryAcquire()) Assert.NotNull(shared);
        Assert.Null(rw.WriteLock.TryAcquire());

        var writing = rw.WriteLock.AcquireAsync(cancellationToken: Token).AsTask();
        await reader1.SendAsync("release");
        await reader1.WaitForLineAsync("RELEASED");
        Assert.False(writing.IsCompleted, "a writer got in while a reader still held the lock");
        await reader2.SendAsync("release");
        await using var handle = await writing.WaitAsync(HelperProcess.LineLimit, Token);
        Assert.Equal(LockMode.Write, handle.Mode);
    }

    [Fact]
    public async Task An_exclusive_lock_and_the_write_side_of_a_reader_writer_lock_of_the_same_name_are_one_lock()
    {
        var name = LockDir.UniqueName("same");
        await using (var exclusive = HelperProcess.StartHelper(Target.Environment(), "hold", name))
        {
            await exclusive.WaitForLineAsync("HELD");
            Assert.Null(Target.Factory.CreateReaderWriterLock(name).ReadLock.TryAcquire());
        }
        await using var reader = HelperProcess.StartHelper(Target.Environment(), "hold", name, "read");
        await reader.WaitForLineAsync("HELD");
        Assert.Null(Target.Factory.CreateLock(name).TryAcquire(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task A_timed_out_acquire_fails_naming_the_test_that_holds_the_lock_and_since_when()
    {
        var name = LockDir.UniqueName("timeout");
        var before = DateTimeOffset.UtcNow;
        await using var holder = HelperProcess.StartHelper(Target.Environment(), "hold", name, "write", "HolderTests.Resize");
        var pid = int.Parse((await holder.WaitForLineAsync("HELD")).Split(' ')[1]);
        var held = DateTimeOffset.UtcNow;
        var @lock = Target.Factory.CreateLock(name);

        Assert.Null(await @lock.TryAcquireAsync(TimeSpan.FromMilliseconds(200), Token));
        var error = Assert.Throws<LockTimeoutException>(() => @lock.Acquire(TimeSpan.FromMilliseconds(300), Token));

        Assert.Equal(pid, error.Holder?.ProcessId);
        Assert.Equal(System.Environment.MachineName, error.Holder?.Host);
        Assert.Equal("HolderTests.Resize", error.Holder?.Owner);
        Assert.Equal(LockMode.Write, error.Holder?.Mode);
        Assert.InRange(error.Holder?.Since ?? default, before.AddSeconds(-1), held.AddSeconds(1)); // clocks: the file backend's record is in whole seconds
        Assert.Contains($"pid {pid}", error.Message, StringComparison.Ordinal);
        Assert.Contains("HolderTests.Resize", error.Message, StringComparison.Ordinal);
        Assert.Equal(@lock.Location, error.Location);
    }

    [Fact]
    public async Task A_waiting_acquire_is_cancelled_by_its_token_and_leaves_nothing_behind()
    {
        var name = LockDir.UniqueName("cancel");
        await using var holder = HelperProcess.StartHelper(Target.Environment(), "hold", name);
        await holder.WaitForLineAsync("HELD");
        var @lock = Target.Factory.CreateLock(name);

        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => @lock.AcquireAsync(Timeout.InfiniteTimeSpan, cts.Token).AsTask());
        }
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            Assert.ThrowsAny<OperationCanceledException>(() => @lock.Acquire(Timeout.InfiniteTimeSpan, cts.Token));
        }

        await holder.SendAsync("release");
        await holder.WaitForLineAsync("RELEASED");
        await using var handle = await @lock.AcquireAsync(HelperProcess.LineLimit, Token);
        await using var other = HelperProcess.StartHelper(Target.Environment(), "hold", name);
        Assert.False(other.HasPrinted("HELD"));
        await handle.DisposeAsync();
        await other.WaitForLineAsync("HELD");
    }

    [Fact]
    public async Task A_waiter_gets_the_lock_when_its_holder_is_killed_with_SIGKILL()
    {
        var name = LockDir.UniqueName("killed");
        await using var holder = HelperProcess.StartHelper(Target.Environment(), "hold", name);
        await holder.WaitForLineAsync("HELD");
        var waiting = Target.Factory.CreateLock(name).AcquireAsync(HelperProcess.LineLimit, Token).AsTask();
        Assert.False(waiting.IsCompleted);

        var killed = Stopwatch.StartNew();
        holder.KillHard();
        await using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"{GetType().Name}: lock back {killed.Elapsed.TotalMilliseconds:0} ms after SIGKILL of its holder");
        Assert.NotEqual(0, await holder.WaitForExitAsync());
    }

    public void Dispose()
    {
        Target.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class FileLockBehaviour() : LockBehaviourTests(new FileTarget());

public sealed class PostgresLockBehaviour(Servers.SharedServers servers) : LockBehaviourTests(ServerTarget.Postgres(servers.Postgres));

public sealed class RedisLockBehaviour(Servers.SharedServers servers) : LockBehaviourTests(ServerTarget.Redis(servers.Redis));
