using System.Diagnostics;
using Npgsql;
using TestLocks.Backends.Tests.Servers;
using TestLocks.Postgres;

namespace TestLocks.Backends.Tests;

/// <summary>Pools and counted locks on PostgreSQL: their waiters wait in the server's lock queues, where a member freed
/// by its holder, or by its holder's death, goes to a waiter at once.</summary>
public sealed class PostgresPoolTests(SharedServers servers)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_processes_waiting_for_a_busy_pool_both_wait_in_the_server_and_each_gets_a_member_its_killed_holder_frees()
    {
        var url = servers.Postgres.Url();
        var env = new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url };
        var pool = LockDir.UniqueName("pgpool");
        string[] members = [LockDir.UniqueName("pgdb1"), LockDir.UniqueName("pgdb2")];
        var list = string.Join(',', members);
        await using var holder1 = HelperProcess.StartHelper(env, "lease", pool, list, "Pool.holder1");
        Assert.Equal($"HELD {members[0]}", await holder1.WaitForLineAsync("HELD", Token));
        await using var holder2 = HelperProcess.StartHelper(env, "lease", pool, list, "Pool.holder2");
        Assert.Equal($"HELD {members[1]}", await holder2.WaitForLineAsync("HELD", Token));
        await using var waiter1 = HelperProcess.StartHelper(env, "lease", pool, list, "Pool.waiter1");
        await waiter1.WaitForLineAsync("BLOCKED", Token);
        await using var waiter2 = HelperProcess.StartHelper(env, "lease", pool, list, "Pool.waiter2");
        await waiter2.WaitForLineAsync("BLOCKED", Token);

        // Both waiters sleep in the server, each queued on every member: no member freed goes unnoticed, and nobody polls.
        var keys = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreatePool(pool, members).SlotNames.Select(PostgresLockBackend.KeyOf).ToArray();
        await WaitForWaitsAsync(url, keys, expected: 4);

        var held1 = waiter1.WaitForLineAsync("HELD", Token);
        var held2 = waiter2.WaitForLineAsync("HELD", Token);
        holder1.KillHard();
        var first = await Task.WhenAny(held1, held2);
        Assert.Equal($"HELD {members[0]}", await first);
        holder2.KillHard();
        Assert.Equal($"HELD {members[1]}", await (first == held1 ? held2 : held1));
        await WaitForWaitsAsync(url, keys, expected: 0);
    }

    [Fact]
    public async Task A_cancelled_wait_for_a_pool_leaves_no_wait_in_the_server_and_the_members_usable()
    {
        var url = servers.Postgres.Url();
        var env = new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url };
        var pool = LockDir.UniqueName("pgcancel");
        var held = LockDir.UniqueName("pgc");
        string[] members = [$"{held}-0", $"{held}-1", $"{held}-2"];
        await using var holder = HelperProcess.StartHelper(env, "holdmany", held, "3");
        await holder.WaitForLineAsync("HELD", Token);
        var factory = new LockFactory(new TestLocksSettings { BackendUrl = url });
        var counted = factory.CreatePool(pool, members);
        var keys = counted.SlotNames.Select(PostgresLockBackend.KeyOf).ToArray();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var waiting = counted.AcquireAsync(HelperProcess.LineLimit, cancel.Token).AsTask();
        await WaitForWaitsAsync(url, keys, expected: 3);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await WaitForWaitsAsync(url, keys, expected: 0);

        holder.KillHard();
        await using var lease = await counted.AcquireAsync(HelperProcess.LineLimit, Token);
        Assert.Contains(lease.Member, members);
    }

    /// <summary>Waits until the server shows <paramref name="expected"/> sessions waiting (not granted) on the advisory
    /// locks <paramref name="keys"/>.</summary>
    private static async Task WaitForWaitsAsync(string url, long[] keys, int expected)
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = new Uri(url).Port, Username = PostgresServer.User, Password = PostgresServer.Password, Database = "testlocks", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Token);
        const string Sql = """
            SELECT count(*) FROM pg_catalog.pg_locks
            WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = ANY($1)
            """;
        var deadline = Stopwatch.StartNew();
        long waits;
        while (true)
        {
            await using var command = new NpgsqlCommand(Sql, connection) { Parameters = { new NpgsqlParameter { Value = keys } } };
            waits = (long)(await command.ExecuteScalarAsync(Token))!;
            if (waits == expected) return;
            if (deadline.Elapsed > HelperProcess.LineLimit) break;
            await Task.Delay(20, Token); // the server's view, which tells no one when it changes
        }
        throw new Xunit.Sdk.XunitException($"{waits} sessions wait on the members in the server, not {expected}");
    }
}
