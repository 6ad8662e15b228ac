using System.Diagnostics;
using System.Reflection;
using System.Text;
using Npgsql;
using StackExchange.Redis;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// A lock lost while its test runs stops that test, through the frameworks' real runners: the fixture suites hold a
/// lock on a server and wait for nothing but their test's cancellation; the server connection that holds the lock is
/// then cut (CLIENT KILL, pg_terminate_backend). Without the link from the lost lock to the test's cancellation they
/// would wait until the runner was killed.
/// </summary>
public sealed class LostLockTests(SharedServers servers)
{
    /// <summary>Far more than a prompt failure takes, far less than forever.</summary>
    private static readonly TimeSpan s_prompt = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Fixture(string name) => typeof(LostLockTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == name).Value!;

    [Fact]
    public async Task An_xUnit_v3_test_whose_Redis_connection_is_killed_fails_at_once_with_LockLostException()
    {
        var prefix = LockDir.UniqueName("lost") + "-";
        var key = prefix + "lost-lock";
        using var run = Run(servers.Redis.Url(), prefix, Fixture("XunitFixtureDll"), "-method", "TestLocks.Backends.Fixture.LostLock.Holds_its_lock_until_the_test_is_cancelled");
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{servers.Redis.Port},password={RedisServer.Password},allowAdmin=true");
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        await WaitUntilAsync(run, () => redis.GetDatabase().KeyExistsAsync(key + ".writer"));

        var cut = Stopwatch.StartNew();
        var clients = (await server.ClientListAsync()).Where(c => c.Name?.StartsWith($"testlocks-pid{run.Process.Id}@", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(clients);
        foreach (var client in clients) await server.ClientKillAsync(client.Id);

        await AssertFailedWithLockLostAsync(run, cut, "its connection was killed", key, "the connection to Redis");
    }

    [Fact]
    public async Task An_NUnit_test_whose_PostgreSQL_session_is_terminated_fails_at_once_with_LockLostException()
    {
        var prefix = LockDir.UniqueName("lost") + "-";
        var key = prefix + "lost-lock";
        using var run = Run(servers.Postgres.Url(), prefix, "test", Fixture("NUnitFixtureDll"), "--logger", "console;verbosity=detailed");
        var builder = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = servers.Postgres.Port, Username = PostgresServer.User, Password = PostgresServer.Password, Database = "testlocks" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Token);
        var advisory = TestLocks.Postgres.PostgresLockBackend.KeyOf(key);
        int? holder = null;
        await WaitUntilAsync(run, async () =>
        {
            // Held, and the holder's session idle: the statements that took it were answered. A session ended while
            // the acquire still runs on it makes the acquire try again on a new session (a held lock is lost, not a
            // lock being taken), and the test would then hold a lock the cut did not touch.
            await using var find = new NpgsqlCommand(
                "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid " +
                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND a.state = 'idle'", connection);
            find.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)(advisory >> 32) });
            find.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)advisory });
            holder = await find.ExecuteScalarAsync(Token) as int?;
            return holder is not null;
        });

        var cut = Stopwatch.StartNew();
        await using (var terminate = new NpgsqlCommand("SELECT pg_terminate_backend($1)", connection))
        {
            terminate.Parameters.Add(new NpgsqlParameter { Value = holder!.Value });
            Assert.True((bool)(await terminate.ExecuteScalarAsync(Token))!);
        }

        await AssertFailedWithLockLostAsync(run, cut, "its session was terminated", key, "the connection to the PostgreSQL server");
    }

    /// <summary>The fixture's run ends promptly, failed with LockLostException naming the lock and why it was lost.</summary>
    private static async Task AssertFailedWithLockLostAsync(FixtureRun run, Stopwatch cut, string what, string key, string why)
    {
        var output = await run.ExitAsync(s_prompt);
        TestContext.Current.TestOutputHelper?.WriteLine($"test failed {cut.Elapsed.TotalMilliseconds:0} ms after {what}\n{output}");
        Assert.NotEqual(0, run.Process.ExitCode);
        Assert.Contains("LockLostException", output, StringComparison.Ordinal);
        Assert.Contains($"Lock \"{key}\"", output, StringComparison.Ordinal);
        Assert.Contains(why, output, StringComparison.Ordinal);
    }

    private static FixtureRun Run(string backendUrl, string prefix, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TESTLOCKS_BACKEND_URL"] = backendUrl;
        start.Environment["TESTLOCKS_LOCK_FILE_PREFIX"] = prefix;
        return new FixtureRun(start);
    }

    /// <summary>Polls the server (which has no event for it) until the fixture's test holds its lock.</summary>
    private static async Task WaitUntilAsync(FixtureRun run, Func<Task<bool>> held)
    {
        var clock = Stopwatch.StartNew();
        while (!await held())
        {
            if (run.Process.HasExited || clock.Elapsed > TimeSpan.FromMinutes(2)) throw new Xunit.Sdk.XunitException($"the fixture's test never held its lock:\n{run.Output}");
            await Task.Delay(20, Token);
        }
    }

    /// <summary>A fixture suite running under its framework's runner, its output collected.</summary>
    private sealed class FixtureRun : IDisposable
    {
        private readonly StringBuilder _output = new();

        public FixtureRun(ProcessStartInfo start)
        {
            Process = new Process { StartInfo = start };
            Process.OutputDataReceived += (_, e) => Collect(e.Data);
            Process.ErrorDataReceived += (_, e) => Collect(e.Data);
            Process.Start();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get { lock (_output) return _output.ToString(); }
        }

        /// <summary>Waits for the runner to end, at most <paramref name="limit"/>, and returns its output.</summary>
        public async Task<string> ExitAsync(TimeSpan limit)
        {
            try
            {
                await Process.WaitForExitAsync(Token).WaitAsync(limit, Token);
            }
            catch (TimeoutException)
            {
                throw new Xunit.Sdk.XunitException($"the test went on running {limit} after its lock was lost:\n{Output}");
            }
            Process.WaitForExit(); // the output's end
            return Output;
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }

        private void Collect(string? line)
        {
            if (line is null) return;
            lock (_output) _output.AppendLine(line);
        }
    }
}
