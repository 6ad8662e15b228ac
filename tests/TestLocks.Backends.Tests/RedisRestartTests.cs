using System.Diagnostics;
using System.Globalization;
using TestLocks.Backends.Tests.Servers;
using TestLocks.TestSupport.Processes;
using TestLocks.TestSupport.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// A Redis server that crashes and comes back without persistence has forgotten every lock. The holder is a real
/// process; redis-server is killed with SIGKILL and started again on the same port; a waiter in this process then takes
/// the lock at once. An independent witness (one file both append to, with timestamps of the machine's monotonic clock)
/// shows the holder knew it lost the lock before the waiter had it (the server grants nothing within a lease of its
/// start), and the waiter's fencing token is greater than the holder's, although the server's token counter was lost
/// with everything else.
/// </summary>
public sealed class RedisRestartTests
{
    private const int Rounds = 5;

    /// <summary>The lease: after the restart nothing is granted for one lease, so each round takes at least this.</summary>
    private const int Lease = 3;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_a_crash_and_restart_the_old_holder_knows_it_lost_the_lock_before_a_new_one_has_it_and_tokens_still_grow()
    {
        await using var server = await RedisServer.StartAsync();
        var url = server.Url($"?lock_timeout={Lease}");
        for (var round = 1; round <= Rounds; round++)
        {
            var witness = Path.Combine(Path.GetTempPath(), $"testlocks-witness-{Guid.NewGuid():N}");
            var name = LockDir.UniqueName("crash");
            try
            {
                await using var holder = HelperProcess.StartHelper(new Dictionary<string, string>
                {
                    ["TESTLOCKS_BACKEND_URL"] = url,
                    ["TESTLOCKS_TEST_WITNESS"] = witness,
                }, "hold", name);
                await holder.WaitForLineAsync("HELD");
                await holder.SendAsync("token");
                var holderToken = long.Parse((await holder.WaitForLineAsync("TOKEN")).Split(' ')[1], CultureInfo.InvariantCulture);

                var killed = Stopwatch.GetTimestamp();
                await server.KillServerAsync();
                await server.StartServerAsync();
                var restarted = Stopwatch.GetTimestamp();
                var factory = new LockFactory(new TestLocksSettings { BackendUrl = url });
                long waiterToken;
                var notes = new System.Collections.Concurrent.ConcurrentQueue<string?>();
                var @lock = factory.CreateLock(name, new LockOptions { OnWaiting = n => notes.Enqueue(n.Holder?.Note) });
                await using (var handle = await @lock.AcquireAsync(HelperProcess.LineLimit, Token))
                {
                    System.IO.File.AppendAllText(witness, $"ACQUIRED {Stopwatch.GetTimestamp()}\n");
                    waiterToken = handle.FencingToken!.Value;
                }
                await holder.WaitForLineAsync("LOST");

                var events = System.IO.File.ReadAllLines(witness).Select(l => l.Split(' ')).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => long.Parse(g.First()[1], CultureInfo.InvariantCulture));
                Assert.True(events.TryGetValue("LOST", out var lost) && lost < events["ACQUIRED"],
                    $"round {round}: the waiter had the lock {Ms(killed, events["ACQUIRED"])} ms after the kill, the old holder knew it lost it " +
                    $"{(events.TryGetValue("LOST", out var l) ? $"{Ms(killed, l)} ms" : "never")} after");
                Assert.True(Stopwatch.GetElapsedTime(restarted, events["ACQUIRED"]) >= TimeSpan.FromSeconds(Lease),
                    $"round {round}: the lock was granted {Ms(restarted, events["ACQUIRED"])} ms after the restart, within the {Lease} s lease in which an old holder may not know yet");
                // The waiter is told why it waits for a lock nobody holds.
                Assert.Contains(notes, n => n?.Contains("restarted less than lock_timeout", StringComparison.Ordinal) == true);
                Assert.True(waiterToken > holderToken, $"round {round}: after the restart the new holder's token {waiterToken} is not greater than the old holder's {holderToken}");
                TestContext.Current.TestOutputHelper?.WriteLine(
                    $"round {round}: redis-server killed and restarted in {Ms(killed, restarted)} ms; the old holder knew it lost the lock {Ms(killed, lost)} ms after the kill, " +
                    $"the new holder had it {Ms(killed, events["ACQUIRED"])} ms after; tokens {holderToken} then {waiterToken}");
            }
            finally
            {
                System.IO.File.Delete(witness);
            }
        }
    }

    private static long Ms(long from, long to) => (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
