using Npgsql;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// A process holds every lock it takes without waiting on one PostgreSQL session: as many locks as it likes, past the
/// pool's 100 sessions, and a lost session loses every one of them, loudly.
/// </summary>
public sealed class PostgresHoldingSessionTests(SharedServers servers)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_process_holds_150_locks_on_one_session_and_another_process_sees_each_one_held()
    {
        // 150 > max_pool_size (100): with a session per lock, the 101st acquire failed after connect_timeout.
        var owners = await HoldManyAndLookAsync(servers.Postgres, 150);

        // pg_stat_activity keeps 1024 bytes of the session's statement by default: the newest records fit, the rest
        // are named by pid and host (docs/backends.md).
        Assert.InRange(owners, 3, 150);
    }

    [Fact]
    public async Task With_track_activity_query_size_raised_a_waiter_names_the_test_holding_each_of_150_locks()
    {
        await using var server = await PostgresServer.StartAsync("-c track_activity_query_size=65536");

        Assert.Equal(150, await HoldManyAndLookAsync(server, 150));
    }

    /// <summary>A helper process holds <paramref name="count"/> locks without waiting; this process finds each held by
    /// it and asks the backend who holds it. Returns how many holders were named with their test (owner).</summary>
    private static async Task<int> HoldManyAndLookAsync(PostgresServer server, int count)
    {
        var url = server.Url();
        var prefix = LockDir.UniqueName("many");
        await using var holder = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url }, "holdmany", prefix, $"{count}", "Tests.HoldsMany");
        var pid = int.Parse((await holder.WaitForLineAsync("HELD")).Split(' ')[1]);

        var sessions = await SessionsOfAsync(server, pid);
        TestContext.Current.TestOutputHelper?.WriteLine($"a process holding {count} locks has {sessions} PostgreSQL session(s)");
        Assert.Equal(1, sessions);

        var settings = new TestLocksSettings { BackendUrl = url };
        var factory = new LockFactory(settings);
        await using var backend = new TestLocks.Postgres.PostgresBackendProvider().Create(new Uri(url), settings);
        var owners = 0;
        for (var i = count - 1; i >= 0; i--)
        {
            var @lock = factory.CreateLock($"{prefix}-{i}");
            Assert.Null(await @lock.TryAcquireAsync(TimeSpan.Zero, Token));
            var seen = await backend.GetHolderAsync(@lock.Name, Token);
            Assert.Equal(pid, seen?.ProcessId);
            Assert.Equal(Environment.MachineName, seen?.Host);
            Assert.Equal(LockMode.Write, seen?.Mode);
            if (seen?.Owner == "Tests.HoldsMany")
            {
                owners++;
                Assert.NotNull(seen.FencingToken); // the record carries the write lock's token
            }
            else
            {
                Assert.Contains("track_activity_query_size", seen?.Note, StringComparison.Ordinal);
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"the holder's test named for {owners} of {count} locks");

        await holder.SendAsync("release");
        await holder.WaitForLineAsync("RELEASED");
        await using var again = await factory.CreateLock($"{prefix}-0").AcquireAsync(TimeSpan.Zero, Token);
        return owners;
    }

    [Fact]
    public async Task Every_lock_on_a_terminated_holding_session_is_lost_and_the_next_acquire_takes_a_new_session()
    {
        // A backend_url of its own, so a holding session of its own: the other tests of this process keep theirs.
        var url = servers.Postgres.Url("?connect_timeout=7");
        var prefix = LockDir.UniqueName("shared-loss");
        var factory = new LockFactory(new TestLocksSettings { BackendUrl = url });
        var handles = new List<LockHandle>();
        for (var i = 0; i < 3; i++) handles.Add(await factory.CreateLock($"{prefix}-{i}").AcquireAsync(TimeSpan.Zero, Token));
        var lost = handles.Select(h => Task.Delay(Timeout.Infinite, h.HandleLostToken).ContinueWith(_ => { }, TaskScheduler.Default)).ToList();

        await using (var connection = await OpenAsync())
        {
            await using var terminate = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 AND objid::bigint = $2", connection);
            var key = TestLocks.Postgres.PostgresLockBackend.KeyOf(handles[0].Name);
            terminate.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)(key >> 32) });
            terminate.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)key });
            Assert.True((bool)(await terminate.ExecuteScalarAsync(Token))!);
        }

        await Task.WhenAll(lost).WaitAsync(HelperProcess.LineLimit, Token);
        foreach (var handle in handles)
        {
            var error = await Assert.ThrowsAsync<LockLostException>(() => handle.DisposeAsync().AsTask());
            Assert.Contains(handle.Name, error.Message, StringComparison.Ordinal);
        }
        await using var next = await factory.CreateLock($"{prefix}-0").AcquireAsync(TimeSpan.Zero, Token);
        Assert.False(next.HandleLostToken.IsCancellationRequested);
    }

    [Fact]
    public async Task A_lock_released_from_the_holding_session_is_free_on_the_server_while_the_others_stay_held()
    {
        // A backend_url of its own, so a holding session of its own that no other test of this process uses.
        var url = servers.Postgres.Url("?connect_timeout=6");
        var prefix = LockDir.UniqueName("shared-release");
        var factory = new LockFactory(new TestLocksSettings { BackendUrl = url });
        var handles = new List<LockHandle>();
        for (var i = 0; i < 6; i++) handles.Add(await factory.CreateLock($"{prefix}-{i}").AcquireAsync(TimeSpan.Zero, Token));
        // Two readers of one name in this process stack on the session (advisory locks count): one release leaves it held.
        var rw = factory.CreateReaderWriterLock($"{prefix}-read");
        // (Two flows: one flow may not take a lock it holds.)
        var readers = await Task.WhenAll(
            Task.Run(() => rw.ReadLock.AcquireAsync(TimeSpan.Zero, Token).AsTask(), Token),
            Task.Run(() => rw.ReadLock.AcquireAsync(TimeSpan.Zero, Token).AsTask(), Token));
        var (reader1, reader2) = (readers[0], readers[1]);
        var session = Assert.Single(await HoldersAsync(handles[0].Name));
        Assert.Equal(7, await AdvisoryLocksOfAsync(session));

        for (var i = 0; i < 6; i += 2) await handles[i].DisposeAsync();
        await reader1.DisposeAsync();

        for (var i = 0; i < 6; i++) Assert.Equal(i % 2 == 0 ? Array.Empty<int>() : new[] { session }, await HoldersAsync(handles[i].Name));
        Assert.Equal(new[] { session }, await HoldersAsync(rw.Name));
        await reader2.DisposeAsync();
        Assert.Empty(await HoldersAsync(rw.Name));
        Assert.Equal(3, await AdvisoryLocksOfAsync(session));
        // Free on the server: another process takes a released one at once.
        await using (var other = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url }, "hold", handles[0].Name))
        {
            await other.WaitForLineAsync("HELD");
        }
        for (var i = 1; i < 6; i += 2) await handles[i].DisposeAsync();
        Assert.Equal(0, await AdvisoryLocksOfAsync(session));
    }

    [Fact]
    public async Task A_process_holding_many_locks_on_its_holding_session_frees_them_all_when_killed_with_SIGKILL()
    {
        var url = servers.Postgres.Url();
        var prefix = LockDir.UniqueName("many-killed");
        const int Count = 20;
        await using var holder = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url }, "holdmany", prefix, $"{Count}");
        await holder.WaitForLineAsync("HELD");
        var factory = new LockFactory(new TestLocksSettings { BackendUrl = url });
        Assert.Null(await factory.CreateLock($"{prefix}-{Count - 1}").TryAcquireAsync(TimeSpan.Zero, Token));

        holder.KillHard();
        Assert.NotEqual(0, await holder.WaitForExitAsync());

        // The server ends the session as its socket closes, and frees every lock on it: each is taken here at once.
        var handles = new List<LockHandle>();
        for (var i = 0; i < Count; i++) handles.Add(await factory.CreateLock($"{prefix}-{i}").AcquireAsync(HelperProcess.LineLimit, Token));
        foreach (var handle in handles) await handle.DisposeAsync();
    }

    /// <summary>The server sessions that hold the advisory lock of <paramref name="name"/>.</summary>
    private async Task<int[]> HoldersAsync(string name)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 AND objid::bigint = $2 ORDER BY pid", connection);
        var key = TestLocks.Postgres.PostgresLockBackend.KeyOf(name);
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)(key >> 32) });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)key });
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(Token);
        while (await reader.ReadAsync(Token)) pids.Add(reader.GetInt32(0));
        return [.. pids];
    }

    /// <summary>How many advisory locks the server session <paramref name="session"/> holds (one row per key and mode).</summary>
    private async Task<long> AdvisoryLocksOfAsync(int session)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = session });
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }

    private Task<NpgsqlConnection> OpenAsync() => OpenAsync(servers.Postgres);

    private static async Task<NpgsqlConnection> OpenAsync(PostgresServer server)
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={server.Port};Username={PostgresServer.User};Password={PostgresServer.Password};Database=testlocks;Pooling=false");
        await connection.OpenAsync(Token);
        return connection;
    }

    /// <summary>The sessions a TestLocks process has open on the server (its application_name names its pid).</summary>
    private static async Task<long> SessionsOfAsync(PostgresServer server, int pid)
    {
        await using var connection = await OpenAsync(server);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"testlocks pid {pid} %" });
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }
}
