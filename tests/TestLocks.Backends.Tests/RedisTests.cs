using System.Diagnostics;
using Medallion.Threading.Redis;
using StackExchange.Redis;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>What only the Redis backend has: waiters woken through the server's release channel, leases that outlive a
/// killed holder, and DistributedLock programs sharing the lock.</summary>
public sealed class RedisTests(SharedServers servers) : IAsyncLifetime
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ConnectionMultiplexer _redis = null!;

    private IDatabase Database => _redis.GetDatabase();

    public async ValueTask InitializeAsync() =>
        _redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{servers.Redis.Port},password={RedisServer.Password}");

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_waiter_is_woken_by_the_release_and_does_not_wait_for_its_next_poll()
    {
        // busy_wait=30: a waiter that only polled would get each lock about 30 s after its release (it starts waiting just
        // before). Woken by the release, it takes milliseconds; 5 s leaves load a wide margin and is far from 30.
        var url = servers.Redis.Url("?lock_timeout=60&busy_wait=30");
        var factory = new LockFactory(new TestLocksSettings { BackendUrl = url });
        for (var round = 0; round < 3; round++)
        {
            var @lock = factory.CreateLock(LockDir.UniqueName("woken"));
            await using var holder = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url }, "hold", @lock.Name);
            await holder.WaitForLineAsync("HELD");
            var waiting = @lock.AcquireAsync(HelperProcess.LineLimit, Token).AsTask();
            await WaitUntilSubscribedAsync(@lock.Name);

            var released = Stopwatch.StartNew();
            await holder.SendAsync("release");
            await using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
            TestContext.Current.TestOutputHelper?.WriteLine($"round {round}: lock taken {released.Elapsed.TotalMilliseconds:0.0} ms after the release was asked");
            Assert.True(released.Elapsed < TimeSpan.FromSeconds(5), $"the waiter got the lock {released.Elapsed} after its release (busy_wait is 30 s)");
        }
    }

    [Fact]
    public async Task The_waiter_of_a_holder_killed_with_SIGKILL_gets_the_lock_when_the_lease_ends()
    {
        // A 10 s lease and busy_wait=30: a waiter that only polled would wake 20 s after the lease ends. Woken when it ends,
        // it takes milliseconds; 5 s leaves load a wide margin.
        var url = servers.Redis.Url("?lock_timeout=10&busy_wait=30");
        var @lock = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreateLock(LockDir.UniqueName("lease"));
        await using var holder = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url }, "hold", @lock.Name);
        await holder.WaitForLineAsync("HELD");
        var waiting = @lock.AcquireAsync(HelperProcess.LineLimit, Token).AsTask();
        await WaitUntilSubscribedAsync(@lock.Name);

        holder.KillHard();
        var killed = Stopwatch.StartNew();
        var leaseLeft = await Database.KeyTimeToLiveAsync(@lock.Name + ".writer") ?? throw new Xunit.Sdk.XunitException("the holder's key has no lease");
        await using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
        var late = killed.Elapsed - leaseLeft;
        TestContext.Current.TestOutputHelper?.WriteLine($"lease ended {leaseLeft.TotalMilliseconds:0} ms after SIGKILL; lock taken {late.TotalMilliseconds:0} ms after that");
        Assert.True(late < TimeSpan.FromSeconds(5), $"the waiter got the lock {late} after its dead holder's lease ended (busy_wait is 30 s)");
    }

    [Fact]
    public async Task A_program_that_uses_DistributedLock_directly_shares_the_lock()
    {
        var url = servers.Redis.Url();
        var @lock = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreateReaderWriterLock(LockDir.UniqueName("interop"));
        var direct = new RedisDistributedReaderWriterLock(@lock.Name, Database);

        await DistributedLockInterop.AssertSharedAsync(@lock, direct, Token);
    }

    [Fact]
    public async Task A_waiting_writer_keeps_new_readers_out_until_it_has_had_the_lock()
    {
        var url = servers.Redis.Url();
        var env = new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url };
        var @lock = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreateReaderWriterLock(LockDir.UniqueName("writerfirst"));
        await using var reader = HelperProcess.StartHelper(env, "hold", @lock.Name, "read");
        await reader.WaitForLineAsync("HELD");
        var writing = @lock.WriteLock.AcquireAsync(HelperProcess.LineLimit, Token).AsTask();
        await WaitUntilAsync(async () => (await Database.StringGetAsync(@lock.Name + ".writer")).ToString().EndsWith("_WRITERWAITING", StringComparison.Ordinal));

        await using var lateReader = HelperProcess.StartHelper(env, "hold", @lock.Name, "read");
        await lateReader.WaitForLineAsync("BLOCKED");
        await reader.SendAsync("release");
        await using (await writing.WaitAsync(HelperProcess.LineLimit, Token))
        {
            Assert.False(lateReader.HasPrinted("HELD"), "a reader got in while the writer held the lock");
        }
        await lateReader.WaitForLineAsync("HELD");
    }

    /// <summary>Waits (polling the server, which has no event for it) until a waiter of this process listens on the lock's release channel.</summary>
    private Task WaitUntilSubscribedAsync(string name) => WaitUntilAsync(async () =>
    {
        // This process waits as a writer: on its own release channel.
        var reply = (RedisResult[])(await Database.ExecuteAsync("PUBSUB", "NUMSUB", TestLocks.Redis.ReleaseChannels.WriterChannelOf(name).ToString()))!;
        return (long)reply[1] > 0;
    });

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > HelperProcess.LineLimit) throw new Xunit.Sdk.XunitException("the condition never became true");
            await Task.Delay(5, Token);
        }
    }
}
