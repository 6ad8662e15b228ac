using System.Diagnostics;
using Npgsql;
using TestLocks.Backends.Tests.Servers;
using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Backends.Tests;

/// <summary>What only the PostgreSQL backend has: sessions that the server must notice are gone.</summary>
public sealed class PostgresTests(SharedServers servers)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_killed_holder_that_was_watching_for_loss_frees_its_lock_within_the_client_check()
    {
        // A holder that reads HandleLostToken makes DistributedLock run pg_sleep on the lock's session; a server
        // busy in a query does not read the socket, so without client_check the lock outlived its holder by a minute.
        var url = servers.Postgres.Url();
        var name = LockDir.UniqueName("watched");
        await using var holder = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url }, "hold", name);
        var pid = int.Parse((await holder.WaitForLineAsync("HELD")).Split(' ')[1]);
        await WaitForMonitoringQueryAsync(url, pid);
        var waiting = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreateLock(name).AcquireAsync(HelperProcess.LineLimit, Token).AsTask();

        var killed = Stopwatch.StartNew();
        holder.KillHard();
        await using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"PostgreSQL, holder watching HandleLostToken: lock back {killed.Elapsed.TotalMilliseconds:0} ms after SIGKILL");
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(10), $"the lock came back {killed.Elapsed} after its holder died");
    }

    [Fact]
    public async Task Holders_show_as_testlocks_sessions_in_pg_stat_activity()
    {
        var settings = new TestLocksSettings { BackendUrl = servers.Postgres.Url() };
        var @lock = new LockFactory(settings).CreateReaderWriterLock(LockDir.UniqueName("activity")).ReadLock;
        await using var handle = await @lock.AcquireAsync(HelperProcess.LineLimit, Token);
        await using var backend = new TestLocks.Postgres.PostgresBackendProvider().Create(new Uri(settings.BackendUrl), settings);
        var holder = await backend.GetHolderAsync(@lock.Name, Token);
        Assert.Equal(Environment.ProcessId, holder?.ProcessId);
        Assert.Equal(Environment.MachineName, holder?.Host);
        Assert.Equal(LockMode.Read, holder?.Mode);
        Assert.Contains("PostgreSQL session", holder?.Note, StringComparison.Ordinal);
    }

    /// <summary>Polls pg_stat_activity (no event exists for this) until the holder's session runs DistributedLock's pg_sleep.</summary>
    private static async Task WaitForMonitoringQueryAsync(string url, int pid)
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = new Uri(url).Port, Username = PostgresServer.User, Password = PostgresServer.Password, Database = "testlocks" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Token);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query ILIKE '%pg_sleep%'", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = $"testlocks pid {pid} on {Environment.MachineName}" });
            if ((long)(await command.ExecuteScalarAsync(Token))! > 0) return;
            if (deadline.Elapsed > HelperProcess.LineLimit) throw new Xunit.Sdk.XunitException("the holder never started DistributedLock's monitoring query");
            await Task.Delay(10, Token);
        }
    }
}
