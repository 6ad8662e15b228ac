using Npgsql;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// Every PostgreSQL lock waited for on the server keeps a session of its own (locks taken without waiting share one):
/// when the sessions run out, in this process's pool or on the server, the error must name that limit and how to raise
/// it, not an unreachable server.
/// </summary>
public sealed class PostgresSessionLimitTests(SharedServers servers)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lock_waited_for_past_max_pool_size_fails_naming_the_pool_and_how_to_raise_it()
    {
        // Locks taken without waiting share one session; each lock waited for on the server needs a pooled one.
        // connect_timeout is also how long an acquire waits for a pooled session; 3 s, not 1, so that opening the holding
        // session and the one pooled session still succeeds on a loaded machine (a new session logs in with SCRAM).
        var settings = new TestLocksSettings { BackendUrl = servers.Postgres.Url("?max_pool_size=1&connect_timeout=3") };
        var factory = new LockFactory(settings);
        var prefix = LockDir.UniqueName("pool");
        await using var other = await HoldElsewhereAsync(factory.CreateLock($"{prefix}-0").Name, factory.CreateLock($"{prefix}-1").Name);
        var first = factory.CreateLock($"{prefix}-0").AcquireAsync(HelperProcess.LineLimit, Token).AsTask();
        await WaitUntilWaitingAsync(other, first);

        var error = await Assert.ThrowsAsync<LockBackendException>(() => factory.CreateLock($"{prefix}-1").AcquireAsync(HelperProcess.LineLimit, Token).AsTask());

        Assert.Contains("max_pool_size=1 sessions", error.Message, StringComparison.Ordinal);
        Assert.Contains("every lock this process waits for on the server keeps a session of its own", error.Message, StringComparison.Ordinal);
        Assert.Contains("Raise max_pool_size in backend_url", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Check that the server runs", error.Message, StringComparison.Ordinal);
        await other.DisposeAsync();
        await using var held = await first;
    }

    [Fact]
    public async Task A_lock_past_the_servers_connection_limit_fails_naming_max_connections()
    {
        var user = "limited_" + Guid.NewGuid().ToString("N")[..8];
        var url = await servers.Postgres.CreateLimitedUserAsync(user, connectionLimit: 1);
        await using (var grant = new NpgsqlConnection($"Host=127.0.0.1;Port={servers.Postgres.Port};Username={PostgresServer.User};Password={PostgresServer.Password};Database=testlocks;Pooling=false"))
        {
            await grant.OpenAsync(Token);
            await using var command = new NpgsqlCommand($"GRANT CONNECT ON DATABASE testlocks TO {user}", grant);
            await command.ExecuteNonQueryAsync(Token);
        }
        var factory = new LockFactory(new TestLocksSettings { BackendUrl = url });
        var prefix = LockDir.UniqueName("server-limit");
        var held = new List<LockHandle>();
        try
        {
            // The holding session is the one session the role may have: locks taken without waiting still work.
            for (var i = 0; i < 3; i++) held.Add(await factory.CreateLock($"{prefix}-{i}").AcquireAsync(TimeSpan.Zero, Token));
            await using var other = await HoldElsewhereAsync(factory.CreateLock($"{prefix}-3").Name);

            var error = await Assert.ThrowsAsync<LockBackendException>(() => factory.CreateLock($"{prefix}-3").AcquireAsync(HelperProcess.LineLimit, Token).AsTask());

            Assert.Contains("refused a new session", error.Message, StringComparison.Ordinal);
            Assert.Contains("max_connections", error.Message, StringComparison.Ordinal);
            Assert.Contains("CONNECTION LIMIT", error.Message, StringComparison.Ordinal);
            Assert.Contains("one more for each lock it waits for on the server", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var h in held) await h.DisposeAsync();
        }
    }

    /// <summary>Another client (DistributedLock's way: a session of its own) holds the locks of these names.</summary>
    private async Task<NpgsqlConnection> HoldElsewhereAsync(params string[] names)
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={servers.Postgres.Port};Username={PostgresServer.User};Password={PostgresServer.Password};Database=testlocks;Pooling=false");
        await connection.OpenAsync(Token);
        foreach (var name in names)
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({TestLocks.Postgres.PostgresLockBackend.KeyOf(name)})", connection);
            await command.ExecuteScalarAsync(Token);
        }
        return connection;
    }

    /// <summary>Polls pg_locks (no event exists for this) until a session waits for a lock <paramref name="holder"/> holds.</summary>
    /// <param name="waiter">The acquire that should wait: when it ends first, its failure is the test's.</param>
    private static async Task WaitUntilWaitingAsync(NpgsqlConnection holder, Task waiter)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks w JOIN pg_locks h ON h.locktype = 'advisory' AND h.pid = pg_backend_pid() AND h.granted " +
                "AND w.classid = h.classid AND w.objid = h.objid AND w.objsubid = h.objsubid WHERE w.locktype = 'advisory' AND NOT w.granted", holder);
            if ((long)(await command.ExecuteScalarAsync(Token))! > 0) return;
            if (waiter.IsCompleted)
            {
                await waiter;
                throw new Xunit.Sdk.XunitException("the acquire that should wait was granted at once");
            }
            if (deadline.Elapsed > HelperProcess.LineLimit) throw new Xunit.Sdk.XunitException("nobody waited for the lock");
            await Task.Delay(10, Token);
        }
    }
}
