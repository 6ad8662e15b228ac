using Npgsql;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// Every held or waiting PostgreSQL lock keeps a session of its own: when the sessions run out, in this process's pool
/// or on the server, the error must name that limit and how to raise it, not an unreachable server.
/// </summary>
public sealed class PostgresSessionLimitTests(SharedServers servers)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lock_past_max_pool_size_fails_naming_the_pool_and_how_to_raise_it()
    {
        var settings = new TestLocksSettings { BackendUrl = servers.Postgres.Url("?max_pool_size=3&connect_timeout=1") };
        var factory = new LockFactory(settings);
        var prefix = LockDir.UniqueName("pool");
        var held = new List<LockHandle>();
        try
        {
            for (var i = 0; i < 3; i++) held.Add(await factory.CreateLock($"{prefix}-{i}").AcquireAsync(TimeSpan.Zero, Token));

            var error = await Assert.ThrowsAsync<LockBackendException>(() => factory.CreateLock($"{prefix}-3").AcquireAsync(TimeSpan.Zero, Token).AsTask());

            Assert.Contains("max_pool_size=3 sessions", error.Message, StringComparison.Ordinal);
            Assert.Contains("every lock a process holds or waits for keeps a session of its own", error.Message, StringComparison.Ordinal);
            Assert.Contains("Raise max_pool_size in backend_url", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Check that the server runs", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var h in held) await h.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_lock_past_the_servers_connection_limit_fails_naming_max_connections()
    {
        var user = "limited_" + Guid.NewGuid().ToString("N")[..8];
        var url = await servers.Postgres.CreateLimitedUserAsync(user, connectionLimit: 2);
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
            for (var i = 0; i < 2; i++) held.Add(await factory.CreateLock($"{prefix}-{i}").AcquireAsync(TimeSpan.Zero, Token));

            var error = await Assert.ThrowsAsync<LockBackendException>(() => factory.CreateLock($"{prefix}-2").AcquireAsync(TimeSpan.Zero, Token).AsTask());

            Assert.Contains("refused a new session", error.Message, StringComparison.Ordinal);
            Assert.Contains("max_connections", error.Message, StringComparison.Ordinal);
            Assert.Contains("CONNECTION LIMIT", error.Message, StringComparison.Ordinal);
            Assert.Contains("Every lock a process holds or waits for keeps a PostgreSQL session of its own", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var h in held) await h.DisposeAsync();
        }
    }
}
