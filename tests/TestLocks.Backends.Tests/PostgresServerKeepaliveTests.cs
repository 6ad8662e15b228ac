using System.Diagnostics;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>The server's side of a lost holder: PostgreSQL ends the session of a holder it no longer hears from (its own
/// TCP keepalives, set per session from keepalive), so a second client gets the lock without waiting for the system's
/// TCP timeout of two hours and more.</summary>
public sealed class PostgresServerKeepaliveTests(SharedServers servers)
{
    private const int Keepalive = 2;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_holder_that_vanished_behind_a_stall_has_its_lock_freed_by_the_server_for_a_client_connected_directly()
    {
        await using var proxy = new TcpProxy(servers.Postgres.Port);
        var name = LockDir.UniqueName("server-keepalive");
        var throughProxy = $"postgresql://{PostgresServer.User}:{PostgresServer.Password}@127.0.0.1:{proxy.Port}/testlocks?keepalive={Keepalive}";
        await using var holder = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = throughProxy }, "hold", name);
        await holder.WaitForLineAsync("HELD", Token);

        var stalled = Stopwatch.StartNew();
        proxy.Freeze(); // the holder is cut off: it declares the lock lost after keepalive, but the server still keeps its session
        await holder.WaitForLineAsync("LOST", Token);
        var knew = stalled.Elapsed;
        proxy.Vanish(); // and its host is gone: nothing more reaches the server, which hears of it only if it asks
        var vanished = stalled.Elapsed;
        // Generous: the bound is keepalive + 3 s from the holder's last word; without the server's keepalives the session
        // stayed for tcp_keepalive_time (7200 s by default) and this failed with LockTimeoutException.
        await using var direct = await new LockFactory(new TestLocksSettings { BackendUrl = servers.Postgres.Url() })
            .CreateLock(name).AcquireAsync(TimeSpan.FromSeconds(60), Token);
        var freed = stalled.Elapsed;

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"PostgreSQL, keepalive={Keepalive}: holder knew it lost the lock {knew.TotalMilliseconds:0} ms after the stall; " +
            $"the client connected directly had it {freed.TotalMilliseconds:0} ms after the stall ({(freed - vanished).TotalMilliseconds:0} ms after the holder vanished)");
    }
}
