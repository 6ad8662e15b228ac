using System.Diagnostics;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// A Redis holder must know it lost its lock before anyone else can have it. The holder is a real process reaching
/// Redis through a TCP proxy that freezes (a network stall: nothing passes, nothing is reset); the waiter is this
/// process, straight to Redis. The order of events comes from an independent witness: one file both append to, with
/// timestamps of the machine's monotonic clock, which every process reads alike.
/// </summary>
public sealed class RedisLeaseClockTests(SharedServers servers)
{
    private const int Rounds = 3;

    /// <summary>The stall test's lease. The holder gives the lock up at 90% of it, so a waiter that gets it when it ends on
    /// the server comes 10% later: 0.8 s here, wide enough for a holder's timer on a loaded CI machine (3 s left 0.3 s).</summary>
    private const int StallLease = 8;
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_holder_cut_off_by_a_network_stall_knows_it_lost_the_lock_before_a_waiter_gets_it()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            await using var proxy = new TcpProxy(servers.Redis.Port);
            var witness = Path.Combine(Path.GetTempPath(), $"testlocks-witness-{Guid.NewGuid():N}");
            var name = LockDir.UniqueName("stall");
            await using var holder = StartHolder(proxy, witness, name, StallLease);
            await holder.WaitForLineAsync("HELD");
            var waiter = new LockFactory(new TestLocksSettings { BackendUrl = servers.Redis.Url($"?lock_timeout={StallLease}") }).CreateLock(name);

            var frozen = Stopwatch.GetTimestamp();
            proxy.Freeze();
            await using (await waiter.AcquireAsync(HelperProcess.LineLimit, Token))
            {
                System.IO.File.AppendAllText(witness, $"ACQUIRED {Stopwatch.GetTimestamp()}\n");
            }
            await holder.WaitForLineAsync("LOST");
            proxy.Thaw();

            var events = Events(witness);
            System.IO.File.Delete(witness);
            Assert.True(events.TryGetValue("LOST", out var lost) && lost < events["ACQUIRED"],
                $"round {round}: the waiter got the lock {Ms(frozen, events["ACQUIRED"])} ms after the stall, the holder knew it lost it " +
                $"{(events.TryGetValue("LOST", out var l) ? $"{Ms(frozen, l)} ms" : "never")} after");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"round {round}: {StallLease} s lease, network stall: holder knew it lost the lock after {Ms(frozen, lost)} ms, the waiter had it after {Ms(frozen, events["ACQUIRED"])} ms");
        }
    }

    [Fact]
    public async Task A_holder_paused_past_its_lease_knows_it_lost_the_lock_the_moment_it_runs_again()
    {
        // Paused with SIGSTOP (a long GC pause, a frozen VM) while its connection is stalled too, so no answer from the
        // server can tell it: its own lease clock must, before the test looks at the resource.
        await using var proxy = new TcpProxy(servers.Redis.Port);
        var witness = Path.Combine(Path.GetTempPath(), $"testlocks-witness-{Guid.NewGuid():N}");
        var name = LockDir.UniqueName("paused");
        await using var holder = StartHolder(proxy, witness, name, 3);
        await holder.WaitForLineAsync("HELD");
        var waiter = new LockFactory(new TestLocksSettings { BackendUrl = servers.Redis.Url("?lock_timeout=3") }).CreateLock(name);

        proxy.Freeze();
        Assert.Equal(0, Kill(holder.Id, SigStop));
        try
        {
            await using (await waiter.AcquireAsync(HelperProcess.LineLimit, Token))
            {
                System.IO.File.AppendAllText(witness, $"ACQUIRED {Stopwatch.GetTimestamp()}\n");
                await holder.SendAsync("check"); // read the moment it runs again, as a test's next step
                var resumed = Stopwatch.GetTimestamp();
                Assert.Equal(0, Kill(holder.Id, SigCont));

                // The holder's overdue timer and its reading of the token race on SIGCONT: LOST may come before CHECK.
                string? check = null;
                var lostLine = false;
                while (check is null || !lostLine)
                {
                    var line = await holder.WaitForLineAsync("");
                    if (line.StartsWith("CHECK", StringComparison.Ordinal)) check = line;
                    lostLine |= line == "LOST";
                }
                Assert.Equal("CHECK lost=True", check);
                var events = Events(witness);
                TestContext.Current.TestOutputHelper?.WriteLine($"3 s lease, holder paused until after the waiter had the lock: it knew it lost the lock {Ms(resumed, events["LOST"])} ms after SIGCONT");
            }
        }
        finally
        {
            _ = Kill(holder.Id, SigCont);
            proxy.Thaw();
            System.IO.File.Delete(witness);
        }
    }

    private static HelperProcess StartHolder(TcpProxy proxy, string witness, string name, int lease) => HelperProcess.StartHelper(new Dictionary<string, string>
    {
        ["TESTLOCKS_BACKEND_URL"] = $"redis://:{RedisServer.Password}@127.0.0.1:{proxy.Port}?lock_timeout={lease}",
        ["TESTLOCKS_TEST_WITNESS"] = witness,
    }, "hold", name);

    private static Dictionary<string, long> Events(string witness) =>
        System.IO.File.ReadAllLines(witness).Select(l => l.Split(' ')).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => long.Parse(g.First()[1]));

    private static long Ms(long from, long to) => (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private const int SigStop = 19;
    private const int SigCont = 18;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
