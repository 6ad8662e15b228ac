using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>Never two holders: threads, processes, and Python oslo processes on the same lock file.</summary>
public sealed class MutualExclusionTests
{
    [Fact]
    public async Task Threads_of_one_process_never_hold_a_lock_at_the_same_time()
    {
        using var dir = new LockDir();
        var @lock = dir.Factory.CreateLock(LockDir.UniqueName("threads"));
        var inside = 0;
        var maxInside = 0;
        var count = 0;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await using var handle = await @lock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken);
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                var seen = count;
                await Task.Yield();
                count = seen + 1;
                Interlocked.Decrement(ref inside);
            }
        }));
        await Task.WhenAll(workers);
        Assert.Equal(1, maxInside);
        Assert.Equal(1600, count);
    }

    [Fact]
    public async Task Processes_with_several_threads_each_never_hold_a_lock_at_the_same_time()
    {
        using var dir = new LockDir();
        var counter = dir.File("counter.txt");
        var name = LockDir.UniqueName("stress");
        const int Processes = 4, Threads = 2, Iterations = 150;
        var workers = Enumerable.Range(0, Processes)
            .Select(_ => HelperProcess.StartHelper(dir.Environment(), "count", name, counter, $"{Iterations}", $"{Threads}")).ToList();
        foreach (var w in workers)
        {
            await w.WaitForLineAsync("DONE");
            Assert.Equal(0, await w.WaitForExitAsync());
            await w.DisposeAsync();
        }
        Assert.Equal(Processes * Threads * Iterations, int.Parse(await File.ReadAllTextAsync(counter, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Processes_race_when_process_locking_is_disabled()
    {
        // The control for the test above: the same workload without cross-process locks loses updates.
        using var dir = new LockDir();
        var counter = dir.File("counter.txt");
        var name = LockDir.UniqueName("unlocked");
        var env = dir.Environment(("TESTLOCKS_DISABLE_PROCESS_LOCKING", "true"));
        var workers = Enumerable.Range(0, 4).Select(_ => HelperProcess.StartHelper(env, "count", name, counter, "300", "1")).ToList();
        foreach (var w in workers)
        {
            await w.WaitForExitAsync();
            await w.DisposeAsync();
        }
        var text = await File.ReadAllTextAsync(counter, TestContext.Current.CancellationToken);
        Assert.True(!int.TryParse(text, out var value) || value < 1200, $"expected lost updates without process locks, got {text}");
    }

    [Trait("Needs", "Python")]
    [Fact]
    public async Task TestLocks_processes_and_python_oslo_processes_exclude_each_other_on_the_same_lock_file()
    {
        using var dir = new LockDir(prefix: "tempest-");
        var counter = dir.File("counter.txt");
        var name = LockDir.UniqueName("availability_zone");
        var workers = new List<HelperProcess>
        {
            HelperProcess.StartHelper(dir.Environment(), "count", name, counter, "100", "2"),
            HelperProcess.StartHelper(dir.Environment(), "count", name, counter, "100", "2"),
            HelperProcess.StartPython("oslo_count.py", dir.Environment(), name, counter, dir.Path, "200"),
            HelperProcess.StartPython("oslo_count.py", dir.Environment(), name, counter, dir.Path, "200"),
        };
        foreach (var w in workers)
        {
            await w.WaitForLineAsync("DONE");
            Assert.Equal(0, await w.WaitForExitAsync());
            await w.DisposeAsync();
        }
        Assert.Equal(800, int.Parse(await File.ReadAllTextAsync(counter, TestContext.Current.CancellationToken)));
        Assert.True(File.Exists(dir.File("tempest-" + name)), "TestLocks and oslo must use the same file: <lock_path>/tempest-<name>");
    }

    [Trait("Needs", "Python")]
    [Fact]
    public async Task A_python_oslo_holder_blocks_a_TestLocks_waiter_until_it_releases()
    {
        using var dir = new LockDir(prefix: "tempest-");
        var name = LockDir.UniqueName("az");
        await using var python = HelperProcess.StartPython("python_hold.py", dir.Environment(), "oslo", name, dir.Path);
        var held = await python.WaitForLineAsync("HELD");
        var @lock = dir.Factory.CreateLock(name);

        var notices = new List<LockWaitNotice>();
        Assert.Null(await @lock.TryAcquireAsync(cancellationToken: TestContext.Current.CancellationToken));
        var waiting = dir.Factory.CreateLock(name, new LockOptions { OnWaiting = notices.Add }).AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();
        Assert.False(waiting.IsCompleted);
        await python.SendAsync("release");
        await using var handle = await waiting;
        await python.WaitForLineAsync("RELEASED");

        var notice = Assert.Single(notices);
        Assert.Equal(int.Parse(held.Split(' ')[1]), notice.Holder?.ProcessId);
        Assert.Contains("oslo", notice.Holder?.Note, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
