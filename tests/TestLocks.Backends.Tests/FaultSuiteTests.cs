using TestLocks.Backends.Tests.Faults;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// Never two holders under network and process faults, on real servers: a holder process reaches the server through a
/// proxy that cuts, resets, freezes or delays its connections, or is paused with SIGSTOP; a waiter process blocks on
/// the same lock. An independent witness (each holder's own append-only file, stamped with the machine's monotonic
/// clock) must show no two holds overlapping, or, where no client can prevent it (the server let the lock go while
/// the holder could not hear of it), the holder told at once: HandleLostToken fired and its release threw
/// LockLostException. $FAULT_ROUNDS rounds of each (3 by default; bench/faults.sh runs 20 and sums up the timings).
/// </summary>
public abstract class FaultSuiteTests
{
    protected static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("FAULT_ROUNDS"), out var n) && n > 0 ? n : 3;

    private protected abstract FaultScenario ScenarioFor(Fault fault);

    /// <summary>Whether the fault costs the holder its lock (it must then be told), or the server keeps the lock for it.</summary>
    protected abstract bool LosesLock(Fault fault);

    /// <summary>Where a lost lock may overlap the next holder (detected and reported): the server let it go first.</summary>
    protected abstract bool ServerMayLetGoFirst(Fault fault);

    protected abstract TimeSpan Delay { get; }

    /// <summary>Whether a cut or reset comes right after a statement of the holder and its answer (its session check).</summary>
    protected virtual bool AfterCheck => false;

    /// <summary>Checks when the holder knew, where the backend promises a time.</summary>
    protected virtual void AssertTimely(Fault fault, FaultRound result)
    {
    }

    [Theory]
    [InlineData(Fault.Cut)]
    [InlineData(Fault.Reset)]
    [InlineData(Fault.Freeze)]
    [InlineData(Fault.Delay)]
    [InlineData(Fault.Pause)]
    public async Task A_fault_never_gives_two_holders_that_do_not_know(Fault fault)
    {
        for (var round = 1; round <= Rounds; round++)
        {
            var result = await ScenarioFor(fault).RunAsync(fault, round, LosesLock(fault), Delay, afterCheck: AfterCheck);
            Assert.True(result.Overlap != "UNDETECTED", $"{result}: two holders, and the earlier one was not told");
            Assert.True(result.Overlap == "none" || ServerMayLetGoFirst(fault), $"{result}: the holder knew too late, the server cannot have let the lock go first");
            AssertTimely(fault, result);
        }
    }
}

/// <summary>
/// Redis: every fault costs the holder its lock (its lease ends on the server), and the holder knows before the lease
/// can end: at once for a dropped connection, by its lease clock for a stall or a delay. Only a paused holder cannot
/// know while it sleeps; it must know the moment it runs again.
/// </summary>
public sealed class RedisFaultTests(SharedServers servers) : FaultSuiteTests
{
    /// <summary>The lease. The holder gives the lock up at 90% of it and the server at 100%: 0.8 s apart, wide
    /// enough for a holder's timer on a loaded CI machine.</summary>
    private const int Lease = 8;

    /// <summary>The lease of a paused holder (no margin at stake) and across a restart (the server grants nothing for one lease).</summary>
    private const int ShortLease = 3;

    private protected override FaultScenario ScenarioFor(Fault fault) =>
        new("redis", port => RedisUrl(port, fault == Fault.Pause ? ShortLease : Lease), servers.Redis.Port);

    protected override bool LosesLock(Fault fault) => true;

    protected override bool ServerMayLetGoFirst(Fault fault) => fault == Fault.Pause;

    /// <summary>A lease each way: every renewal's answer comes after the lease clock ran out.</summary>
    protected override TimeSpan Delay => TimeSpan.FromSeconds(Lease);

    private static string RedisUrl(int port, int lease) => $"redis://:{RedisServer.Password}@127.0.0.1:{port}?lock_timeout={lease}";

    [Fact]
    public async Task After_a_server_restart_without_persistence_the_old_holder_knows_before_a_new_one_has_the_lock()
    {
        await using var server = await RedisServer.StartAsync();
        for (var round = 1; round <= Rounds; round++)
        {
            var result = await FaultScenario.RestartAsync("redis", RedisUrl(server.Port, ShortLease), async () =>
            {
                await server.KillServerAsync();
                await server.StartServerAsync();
            }, round);
            Assert.True(result.Overlap == "none", $"{result}: the holder knew too late");
        }
    }
}

/// <summary>
/// PostgreSQL: a session lock lives as long as the server's session. A stalled, slowed or paused client keeps its
/// session, so the server keeps the lock for it and the waiter waits (0 overlap, nothing lost). A cut or reset
/// connection ends the session: the server lets the lock go at once, before any client can hear of it, so the next
/// holder may come in before the old one knows; the old one is told the moment its socket closes. A stall longer than
/// keepalive costs the holder its lock too: it cannot tell a stalled server from a lost one.
/// </summary>
public sealed class PostgresFaultTests(SharedServers servers) : FaultSuiteTests
{
    private protected override FaultScenario ScenarioFor(Fault fault) => new("postgresql",
        port => $"postgresql://{PostgresServer.User}:{PostgresServer.Password}@127.0.0.1:{port}/testlocks", servers.Postgres.Port);

    protected override bool LosesLock(Fault fault) => fault is Fault.Cut or Fault.Reset;

    /// <summary>A holder that learned of a dropped connection only from its session checks (one a second) would know
    /// about a check interval after a cut that follows a check.</summary>
    protected override bool AfterCheck => true;

    /// <summary>A closed or reset connection is known from the socket, before the next session check could run (a
    /// check interval later; three quarters of it, so a loaded machine's scheduling cannot fail the round).</summary>
    protected override void AssertTimely(Fault fault, FaultRound result)
    {
        if (fault is Fault.Cut or Fault.Reset)
        {
            Assert.True(result.LostMs < 750, $"{result}: the holder knew of the dropped connection only at its next session check");
        }
    }

    protected override bool ServerMayLetGoFirst(Fault fault) => fault is Fault.Cut or Fault.Reset;

    /// <summary>Two session checks each way.</summary>
    protected override TimeSpan Delay => TimeSpan.FromSeconds(2);

    [Fact]
    public async Task After_a_server_restart_the_old_holder_is_told_it_lost_the_lock()
    {
        await using var server = await PostgresServer.StartAsync();
        for (var round = 1; round <= Rounds; round++)
        {
            // The server ends every session as it stops, and so frees their locks before any client can hear of it.
            var result = await FaultScenario.RestartAsync("postgresql", server.Url(), async () =>
            {
                await server.StopServerAsync();
                await server.StartServerAsync();
            }, round);
            Assert.True(result.Overlap == "none", $"{result}: the old holder knew too late (the server's termination message reached it as the server stopped)");
        }
    }

    /// <summary>The keepalive of <see cref="A_session_silent_for_keepalive_is_declared_lost"/>.</summary>
    private const int Keepalive = 2;

    [Fact]
    public async Task A_session_silent_for_keepalive_is_declared_lost()
    {
        // A stall longer than keepalive: the server still keeps the session (the proxy holds the connection open), but
        // the holder cannot know that, so it must declare the lock lost once a check went unanswered for keepalive.
        // The waiter has the lock once the stall ends and the holder's closed connection reaches the server.
        var scenario = new FaultScenario("postgresql",
            port => $"postgresql://{PostgresServer.User}:{PostgresServer.Password}@127.0.0.1:{port}/testlocks?keepalive={Keepalive}", servers.Postgres.Port);
        for (var round = 1; round <= Rounds; round++)
        {
            var result = await scenario.RunAsync(Fault.Stall, round, losesLock: true, TimeSpan.Zero, waiterDuringFault: false);
            Assert.True(result.Overlap == "none", $"{result}: two holders");
            // Told within keepalive after its last check (one check interval before), with 10 s for a loaded machine;
            // before the bounded check, only Npgsql's 30 s command timeout ended it.
            Assert.True(result.LostMs < (Keepalive + 1 + 10) * 1000, $"{result}: the holder was told later than keepalive={Keepalive}s allows");
        }
    }
}
