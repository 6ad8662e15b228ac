[assembly: AssemblyFixture(typeof(TestLocks.Backends.Tests.Servers.SharedServers))]

namespace TestLocks.Backends.Tests.Servers;

/// <summary>One PostgreSQL and one Redis server for all tests that do not restart them, started once per test run.
/// Tests that stop a server start one of their own.</summary>
public sealed class SharedServers : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var redis = RedisServer.StartAsync();
        Postgres = await postgres;
        Redis = await redis;
    }

    public async ValueTask DisposeAsync()
    {
        if (Postgres is not null) await Postgres.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
    }
}
