using System.Diagnostics;
using Medallion.Threading.Postgres;
using Npgsql;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>What only the PostgreSQL backend has: sessions that the server must notice are gone.</summary>
public sealed class PostgresTests(SharedServers servers)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_killed_holder_that_was_watching_for_loss_frees_its_lock_at_once()
    {
        // A holder that reads HandleLostToken checks its session every second; a killed one must not keep the lock.
        var url = servers.Postgres.Url();
        var name = LockDir.UniqueName("watched");
        await using var holder = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url }, "hold", name);
        var pid = int.Parse((await holder.WaitForLineAsync("HELD")).Split(' ')[1]);
        await WaitForSessionCheckAsync(url, pid);
        var waiting = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreateLock(name).AcquireAsync(HelperProcess.LineLimit, Token).AsTask();

        var killed = Stopwatch.StartNew();
        holder.KillHard();
        await using var handle = await waiting.WaitAsync(HelperProcess.LineLimit, Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"PostgreSQL, holder watching HandleLostToken: lock back {killed.Elapsed.TotalMilliseconds:0} ms after SIGKILL");
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(10), $"the lock came back {killed.Elapsed} after its holder died");
    }

    [Fact]
    public async Task A_waiter_is_told_which_test_holds_the_lock_and_since_when()
    {
        // No round trip of the holder's for it: the statement that took the lock carries the record, and pg_stat_activity shows it.
        var url = servers.Postgres.Url();
        var name = LockDir.UniqueName("named");
        var asked = DateTimeOffset.UtcNow;
        await using var holder = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url }, "hold", name, "read", "HolderTests.Resize*/ all zones");
        var pid = int.Parse((await holder.WaitForLineAsync("HELD")).Split(' ')[1]);
        var notices = new List<LockWaitNotice>();
        var @lock = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreateLock(name, new LockOptions { OnWaiting = notices.Add });

        // Long enough that the first try (a new connection, slow on a loaded machine) leaves time to wait, which is what
        // gives the notice: a try that uses up the whole timeout fails at once, naming the holder only in the exception.
        var error = await Assert.ThrowsAsync<LockTimeoutException>(() => @lock.AcquireAsync(TimeSpan.FromSeconds(3), Token).AsTask());

        Assert.Equal(pid, error.Holder?.ProcessId);
        Assert.Equal(Environment.MachineName, error.Holder?.Host);
        Assert.Equal("HolderTests.Resize*/ all zones", error.Holder?.Owner);
        Assert.Equal(LockMode.Read, error.Holder?.Mode);
        Assert.InRange(error.Holder?.Since ?? default, asked.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Contains("PostgreSQL session", error.Holder?.Note, StringComparison.Ordinal);
        Assert.Contains("(HolderTests.Resize*/ all zones)", Assert.Single(notices).Holder?.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> HostileOwners => new()
    {
        "Tests.Files(pattern: \"logs/*.txt\")",
        "Tests.Glob(\"src/**/*.cs\")",
        "x */ DROP TABLE t; --",
        "/*/*",
        "*/*/ */",
        "a*\\/b /* c",
        "Zürich 東京 \U0001F680 'quote' \"dq\" ; $1 @p \t tab",
    };

    [Theory]
    [MemberData(nameof(HostileOwners))]
    public async Task A_test_name_that_looks_like_SQL_comment_marks_takes_the_lock_and_names_its_holder(string owner)
    {
        // PostgreSQL block comments nest: a /* or */ in the holder record used to break every acquire (42601).
        var url = servers.Postgres.Url();
        var name = LockDir.UniqueName("hostile");
        await using var holder = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url }, "hold", name, "write", owner);
        var pid = int.Parse((await holder.WaitForLineAsync("HELD")).Split(' ')[1]);
        var @lock = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreateLock(name);

        var error = await Assert.ThrowsAsync<LockTimeoutException>(() => @lock.AcquireAsync(TimeSpan.Zero, Token).AsTask());

        Assert.Equal(pid, error.Holder?.ProcessId);
        // The name comes back whole; a control character in it is shown as visible text (a tab as \x09), as every holder is.
        Assert.Equal(owner.Replace("\t", "\\x09", StringComparison.Ordinal), error.Holder?.Owner);
    }

    [Fact]
    public async Task A_very_long_test_name_is_cut_so_that_waiters_still_read_the_holder()
    {
        // pg_stat_activity keeps the first 1024 bytes of a statement: a longer record would be cut and not read at all.
        var url = servers.Postgres.Url();
        var name = LockDir.UniqueName("long");
        var owner = "Tests.Long(" + string.Concat(Enumerable.Repeat("é*/\U0001F680", 2000)) + ")";
        await using var holder = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = url }, "hold", name, "write", owner);
        var pid = int.Parse((await holder.WaitForLineAsync("HELD")).Split(' ')[1]);
        var @lock = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreateLock(name);

        var error = await Assert.ThrowsAsync<LockTimeoutException>(() => @lock.AcquireAsync(TimeSpan.Zero, Token).AsTask());

        Assert.Equal(pid, error.Holder?.ProcessId);
        var shown = error.Holder?.Owner ?? "";
        Assert.EndsWith("\u2026", shown, StringComparison.Ordinal);
        Assert.StartsWith(shown[..^1], owner, StringComparison.Ordinal);
        Assert.True(shown.Length > 20, $"only '{shown}' of the owner was kept");
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
        Assert.Equal($"pid {Environment.ProcessId}", holder?.Owner); // no test, no owner given: the process
        Assert.Contains("PostgreSQL session", holder?.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_that_uses_DistributedLock_directly_shares_the_lock()
    {
        var url = servers.Postgres.Url();
        var @lock = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreateReaderWriterLock(LockDir.UniqueName("interop"));
        var builder = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = servers.Postgres.Port, Username = PostgresServer.User, Password = PostgresServer.Password, Database = "testlocks" };
        var direct = new PostgresDistributedReaderWriterLock(new PostgresAdvisoryLockKey(@lock.Name, allowHashing: true), builder.ConnectionString);

        await DistributedLockInterop.AssertSharedAsync(@lock, direct, Token);
    }

    /// <summary>Polls pg_stat_activity (no event exists for this) until the holder's session has run its first check.</summary>
    private static async Task WaitForSessionCheckAsync(string url, int pid)
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = new Uri(url).Port, Username = PostgresServer.User, Password = PostgresServer.Password, Database = "testlocks" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Token);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            // A write lock's session shows its fencing token in application_name: testlocks pid N token T on HOST.
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE $1 AND query LIKE 'SELECT 1 /* testlocks %'", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = $"testlocks pid {pid} %" });
            if ((long)(await command.ExecuteScalarAsync(Token))! > 0) return;
            if (deadline.Elapsed > HelperProcess.LineLimit) throw new Xunit.Sdk.XunitException("the holder never checked its session");
            await Task.Delay(10, Token);
        }
    }
}
