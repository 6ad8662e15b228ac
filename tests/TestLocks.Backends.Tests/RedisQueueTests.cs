using System.Diagnostics;
using StackExchange.Redis;
using TestLocks.Backends.Tests.Servers;
using TestLocks.TestSupport.Processes;
using TestLocks.TestSupport.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// Redis writers that wait for one lock queue in the order they came, and a release wakes only the first (issue 22:
/// every waiter woke and tried again, a thundering herd, and the lock went to whichever try came first). The waiters
/// are real processes; their place in the queue is read from the server, which has no event for it.
/// </summary>
public sealed class RedisQueueTests(SharedServers servers) : IAsyncLifetime
{
    private const int Waiters = 5;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ConnectionMultiplexer _redis = null!;

    public async ValueTask InitializeAsync() =>
        _redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{servers.Redis.Port},password={RedisServer.Password}");

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Waiting_writers_get_the_lock_in_the_order_they_came()
    {
        var url = servers.Redis.Url("?lock_timeout=10");
        var env = new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url };
        var name = LockDir.UniqueName("fifo");
        await using var holder = HelperProcess.StartHelper(env, "hold", name);
        await holder.WaitForLineAsync("HELD");
        var waiters = new List<HelperProcess>();
        try
        {
            for (var i = 0; i < Waiters; i++)
            {
                waiters.Add(HelperProcess.StartHelper(env, "hold", name));
                await WaitUntilAsync(async () => await _redis.GetDatabase().SortedSetLengthAsync(name + ".queue") == i + 1);
            }

            // One wait for "HELD" per waiter, kept across rounds: a second reader of the same output would miss the line.
            var held = Enumerable.Range(0, Waiters).Select(async i => { await waiters[i].WaitForLineAsync("HELD"); return i; }).ToList();
            var previous = holder;
            var order = new List<int>();
            while (order.Count < Waiters)
            {
                await previous.SendAsync("release");
                var next = await await Task.WhenAny(held.Where((_, i) => !order.Contains(i)));
                order.Add(next);
                previous = waiters[next];
            }
            Assert.Equal(Enumerable.Range(0, Waiters), order);
        }
        finally
        {
            foreach (var w in waiters) await w.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_killed_waiter_loses_its_place_and_the_next_one_gets_the_lock()
    {
        // busy_wait=3: a waiter's place used to last three busy_waits (9 s) from its last try, renewed every busy_wait, so
        // the second waiter had the lock 6 to 9 s after the release. It now ends with the killed waiter's connection.
        var url = servers.Redis.Url("?lock_timeout=10&busy_wait=3");
        var env = new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url };
        var name = LockDir.UniqueName("fifo-killed");
        await using var holder = HelperProcess.StartHelper(env, "hold", name);
        await holder.WaitForLineAsync("HELD");
        await using var first = HelperProcess.StartHelper(env, "hold", name);
        await WaitUntilAsync(async () => await _redis.GetDatabase().SortedSetLengthAsync(name + ".queue") == 1);
        await using var second = HelperProcess.StartHelper(env, "hold", name);
        await WaitUntilAsync(async () => await _redis.GetDatabase().SortedSetLengthAsync(name + ".queue") == 2);

        first.KillHard();
        await first.WaitForExitAsync();
        // The server has dropped the killed process's subscription (its connection closed with it).
        await WaitUntilAsync(async () => await ListenersAsync($"{name}.released.{Environment.MachineName}_{first.Id}_") == 0);
        var released = Stopwatch.StartNew();
        await holder.SendAsync("release");
        await second.WaitForLineAsync("HELD");
        TestContext.Current.TestOutputHelper?.WriteLine($"the second waiter had the lock {released.ElapsedMilliseconds} ms after the release, the first waiter killed");
        Assert.True(released.Elapsed < TimeSpan.FromSeconds(3), $"the second waiter had the lock {released.Elapsed} after the release (the killed waiter's place kept it waiting)");
    }

    [Fact]
    public async Task A_writer_waiting_behind_a_TestLocks_holder_does_not_poll_the_server()
    {
        // Issue 22: a waiting process tried again every busy_wait (1 s by default) even behind a holder that publishes its
        // release: each try woke the process, its thread pool and the JIT, about 11 ms of CPU a second per idle waiter.
        // busy_wait=0.1: polling, the waiter would try about 20 times in 2 s; it now sleeps until the release message or
        // 30% of the lease (3 s). Its tries are seen on the server: each one renews its deadline in NAME.waiters.
        var url = servers.Redis.Url("?lock_timeout=10&busy_wait=0.1");
        var env = new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url };
        var name = LockDir.UniqueName("idle-waiter");
        await using var holder = HelperProcess.StartHelper(env, "hold", name);
        await holder.WaitForLineAsync("HELD");
        await using var waiter = HelperProcess.StartHelper(env, "hold", name);
        await WaitUntilAsync(async () => await _redis.GetDatabase().SortedSetLengthAsync(name + ".queue") == 1);

        var deadlines = new HashSet<string>();
        var watched = Stopwatch.StartNew();
        while (watched.Elapsed < TimeSpan.FromSeconds(2))
        {
            foreach (var entry in await _redis.GetDatabase().HashGetAllAsync(name + ".waiters")) deadlines.Add(entry.Value.ToString());
            await Task.Delay(5, Token);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{deadlines.Count} tries seen in 2 s");
        Assert.True(deadlines.Count <= 2, $"the waiter tried {deadlines.Count} times in 2 s behind a holder that publishes its release");

        await holder.SendAsync("release");
        await waiter.WaitForLineAsync("HELD");
    }

    [Fact]
    public async Task The_next_waiter_holds_the_lock_the_moment_the_holder_releases_it()
    {
        // Issue 22: a release only woke the next waiter's process, which then tried the lock: a second round trip and a
        // second wake-up of a sleeping process in every handoff, the part of the client's CPU that grew with the number
        // of waiting processes. The release now gives the lock to the next waiter in the same script, and tells it. The
        // waiter is stopped (SIGSTOP) across the release, so it cannot try: the lock is its own as the release returns.
        var url = servers.Redis.Url("?lock_timeout=10");
        var env = new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url };
        var name = LockDir.UniqueName("grant");
        var db = _redis.GetDatabase();
        await using var holder = HelperProcess.StartHelper(env, "hold", name);
        await holder.WaitForLineAsync("HELD");
        await using var waiter = HelperProcess.StartHelper(env, "hold", name);
        await WaitUntilAsync(async () => await db.SortedSetLengthAsync(name + ".queue") == 1);

        Faults.Signals.Stop(waiter.Id);
        RedisValue writer;
        try
        {
            await holder.SendAsync("release");
            await holder.WaitForLineAsync("RELEASED");
            writer = await db.StringGetAsync(name + ".writer");
        }
        finally
        {
            Faults.Signals.Continue(waiter.Id);
        }
        Assert.StartsWith($"{Environment.MachineName}_{waiter.Id}_", writer.ToString());
        await waiter.WaitForLineAsync("HELD");
        await waiter.SendAsync("token");
        var token = (await waiter.WaitForLineAsync("TOKEN"))["TOKEN ".Length..];
        Assert.Equal((await db.StringGetAsync(name + ".fence")).ToString(), token);
        Assert.Equal(0, await db.SortedSetLengthAsync(name + ".queue"));
    }

    private async Task<long> ListenersAsync(string channel)
    {
        var reply = (RedisResult[])(await _redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
        return (long)reply[1];
    }

    [Fact]
    public async Task A_release_wakes_only_the_process_of_the_next_waiter()
    {
        // Issue 22: the release named the next writer, but published it on NAME.released, which every waiting process
        // listened to: each one woke and read it, every release, most of the client CPU with 32 waiting processes.
        var url = servers.Redis.Url("?lock_timeout=10");
        var env = new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url };
        var name = LockDir.UniqueName("wake-one");
        var published = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var subscriber = _redis.GetSubscriber();
        await subscriber.SubscribeAsync(RedisChannel.Pattern(name + ".released*"), (channel, _) => published.Enqueue(channel.ToString()));
        await using var holder = HelperProcess.StartHelper(env, "hold", name);
        await holder.WaitForLineAsync("HELD");
        var waiters = new List<HelperProcess>();
        try
        {
            for (var i = 0; i < Waiters; i++)
            {
                waiters.Add(HelperProcess.StartHelper(env, "hold", name));
                await WaitUntilAsync(async () => await _redis.GetDatabase().SortedSetLengthAsync(name + ".queue") == i + 1);
            }

            await holder.SendAsync("release");
            await waiters[0].WaitForLineAsync("HELD");
            await WaitUntilAsync(() => Task.FromResult(!published.IsEmpty));
            // Every process that got the release's message: the subscribers of each channel it was published on (this
            // test's pattern subscription not counted).
            var reached = new Dictionary<string, long>();
            foreach (var channel in published.Distinct())
            {
                var reply = (RedisResult[])(await _redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
                reached[channel] = (long)reply[1];
            }
            var text = string.Join(", ", reached.Select(r => $"{r.Key}: {r.Value}"));
            Assert.True(reached.Values.Sum() == 1, $"the release reached {reached.Values.Sum()} waiting processes, not only the next one ({text})");
            Assert.Equal(1, reached.GetValueOrDefault($"{name}.released.{Environment.MachineName}_{waiters[0].Id}_"));
        }
        finally
        {
            await subscriber.UnsubscribeAsync(RedisChannel.Pattern(name + ".released*"));
            foreach (var w in waiters) await w.DisposeAsync();
        }
    }

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
