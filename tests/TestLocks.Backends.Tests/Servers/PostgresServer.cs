using Npgsql;

namespace TestLocks.Backends.Tests.Servers;

/// <summary>
/// A PostgreSQL server of our own: Debian's binaries, a fresh data directory in /tmp, 127.0.0.1 on a free port,
/// password (SCRAM) authentication, and a role and database for the tests. Runs as the postgres user when the tests
/// run as root (initdb refuses root). Stop and start are real: the server process ends and a new one begins.
/// </summary>
public sealed class PostgresServer : ITestServer
{
    public const string User = "testlocks";
    public const string Password = "pg-secret-7f3a";
    private const string SuperPassword = "pg-super-91c2";

    private static readonly string s_bin = Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
        .Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => System.IO.File.Exists(Path.Combine(d, "initdb")))
        ?? throw new InvalidOperationException("PostgreSQL is not installed: apt-get install postgresql (build/setup.sh does).");

    private readonly string _dir;
    private readonly string _settings;

    private PostgresServer(string dir, int port, string settings)
    {
        _dir = dir;
        Port = port;
        _settings = settings;
    }

    public int Port { get; }

    private string Data => Path.Combine(_dir, "data");

    /// <summary>The backend_url of the test role, with optional query options.</summary>
    public string Url(string query = "") => $"postgresql://{User}:{Password}@127.0.0.1:{Port}/testlocks{query}";

    /// <summary>Starts a server of its own.</summary>
    /// <param name="settings">More server settings, as postgres options: <c>-c track_activity_query_size=65536</c>.</param>
    public static async Task<PostgresServer> StartAsync(string settings = "")
    {
        var dir = Directory.CreateTempSubdirectory("testlocks-pg-").FullName;
        var server = new PostgresServer(dir, Command.FreePort(), settings);
        if (Command.IsRoot) await Command.RunAsync("chown", ["postgres:postgres", dir]);
        var passwordFile = Path.Combine(dir, "superpw");
        await System.IO.File.WriteAllTextAsync(passwordFile, SuperPassword);
        if (Command.IsRoot) await Command.RunAsync("chown", ["postgres:postgres", passwordFile]);
        await Command.RunAsync(Path.Combine(s_bin, "initdb"), ["-D", server.Data, "-U", "postgres", "-A", "scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "-N"], "postgres");
        await server.StartServerAsync();
        var super = $"Host=127.0.0.1;Port={server.Port};Username=postgres;Password={SuperPassword};Database=postgres;Pooling=false";
        await using var connection = new NpgsqlConnection(super);
        await connection.OpenAsync();
        foreach (var sql in new[] { $"CREATE ROLE {User} LOGIN PASSWORD '{Password}'", $"CREATE DATABASE testlocks OWNER {User}" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        return server;
    }

    /// <summary>Creates a login role that may use the tests' database, with at most <paramref name="connectionLimit"/>
    /// sessions at once (as a CI database user may be limited); returns its backend_url.</summary>
    public async Task<string> CreateLimitedUserAsync(string name, int connectionLimit)
    {
        var super = $"Host=127.0.0.1;Port={Port};Username=postgres;Password={SuperPassword};Database=postgres;Pooling=false";
        await using var connection = new NpgsqlConnection(super);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE ROLE {name} LOGIN PASSWORD '{Password}' CONNECTION LIMIT {connectionLimit}", connection);
        await command.ExecuteNonQueryAsync();
        return $"postgresql://{name}:{Password}@127.0.0.1:{Port}/testlocks";
    }

    public Task StartServerAsync() => Command.RunAsync(Path.Combine(s_bin, "pg_ctl"),
        ["-D", Data, "-l", Path.Combine(_dir, "log"), "-w", "-t", "60", "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off {_settings}", "start"],
        "postgres");

    /// <summary>Stops the server the way an operator's restart does: sessions are terminated, then the server exits.</summary>
    public Task StopServerAsync() => Command.RunAsync(Path.Combine(s_bin, "pg_ctl"), ["-D", Data, "-m", "fast", "-w", "-t", "60", "stop"], "postgres");

    public async ValueTask DisposeAsync()
    {
        try { await Command.RunAsync(Path.Combine(s_bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"], "postgres"); }
        catch (InvalidOperationException) { } // already stopped
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
