using Npgsql;
using TestLocks.Backends;
using TestLocks.Backends.Server;

namespace TestLocks.Postgres;

/// <summary>
/// What a <c>postgresql://</c> backend_url says. User, password, host, port (5432) and database (the user's name, as
/// libpq does) come from the URL; the query options are:
/// <list type="table">
/// <item><term>connect_timeout</term><description>seconds to connect and authenticate before failing with
/// <see cref="LockBackendException"/> (libpq's name). Default 5.</description></item>
/// <item><term>keepalive</term><description>seconds a held lock's session may leave a check unanswered before its
/// holder declares the lock lost (a stall closes nothing; a dropped session is known at once without it), the TCP
/// keepalive time of every connection, and the server's (<c>tcp_keepalives_idle</c>, with an interval of 1 s and
/// <see cref="ServerKeepaliveProbes"/> probes, set per session): the server ends a holder's silent session, and frees
/// its locks, within keepalive + 3 s of the holder's last word. Default 10.</description></item>
/// <item><term>client_check</term><description>seconds between the server's checks that a client running a query
/// is still there (PostgreSQL 14+ <c>client_connection_check_interval</c>, set for TestLocks' sessions only), so a
/// killed waiter blocked in <c>pg_advisory_lock</c> leaves the queue at once rather than when it would have been
/// granted the lock. 0 turns it off; older servers are detected and skipped. Default 1.</description></item>
/// <item><term>max_pool_size</term><description>the most sessions this process opens to the server (Npgsql's
/// Maximum Pool Size). Locks taken without waiting share one session of the process, outside the pool; every lock
/// waited for on the server keeps a pooled session of its own until released, so this is the most locks one process
/// can wait for (and hold after waiting) at once. Default 100.</description></item>
/// <item><term>sslmode</term><description>disable, allow, prefer, require, verify-ca, verify-full (libpq's). Default prefer.</description></item>
/// </list>
/// </summary>
internal sealed record PostgresOptions
{
    /// <summary>The Npgsql connection string (contains the password).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The connection string without client_check, for servers older than PostgreSQL 14.</summary>
    public required string FallbackConnectionString { get; init; }

    /// <summary>The URL's parts, for messages.</summary>
    public required BackendUrlOptions Url { get; init; }

    /// <summary>The database the locks live in.</summary>
    public required string Database { get; init; }

    /// <summary>connect_timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; }

    /// <summary>max_pool_size.</summary>
    public int MaxPoolSize { get; init; }

    /// <summary>keepalive: how long a held lock's session check may go unanswered.</summary>
    public TimeSpan Keepalive { get; init; }

    /// <summary>How many unanswered keepalive probes, one a second, the server sends a silent session before it ends
    /// it: more than the holder's check interval (1 s), so the holder knows its lock is lost before the server frees it.</summary>
    public const int ServerKeepaliveProbes = 3;

    /// <summary>The application_name every TestLocks connection of this process shows in pg_stat_activity:
    /// <c>testlocks pid 42 on ci-3</c>. Waiters read it to name the holder.</summary>
    public static string ApplicationName { get; } = Truncate($"testlocks pid {Environment.ProcessId} on {Environment.MachineName}", 63);

    /// <summary>What a session's application_name begins with while it holds a write lock, the fencing token following
    /// it and then <c> on HOST</c>: <c>testlocks pid 42 token 1234 on ci-3</c> (the server cuts it at 63 bytes).</summary>
    public static string ApplicationNameWithToken { get; } = $"testlocks pid {Environment.ProcessId} token ";

    /// <summary>This machine's name, as application_name shows it.</summary>
    public static string Host { get; } = Environment.MachineName;

    internal static PostgresOptions Parse(Uri url, TestLocksSettings settings)
    {
        var parts = new BackendUrlOptions(url, settings, "PostgreSQL", defaultPort: 5432);
        var connectTimeout = parts.Seconds("connect_timeout", TimeSpan.FromSeconds(5), minimum: 1);
        var keepalive = parts.Seconds("keepalive", TimeSpan.FromSeconds(10), minimum: 1);
        var clientCheck = parts.Seconds("client_check", TimeSpan.FromSeconds(1), minimum: 0);
        var maxPoolSize = parts.Integer("max_pool_size", 100, minimum: 1, maximum: 100_000);
        var sslMode = parts.Text("sslmode") is { } mode ? ParseSslMode(mode, parts) : SslMode.Prefer;
        parts.RejectUnknown();
        var database = url.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : parts.User ?? "postgres";
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parts.Host,
            Port = parts.Port,
            Username = parts.User,
            Password = parts.Password,
            Database = database,
            Timeout = (int)Math.Ceiling(connectTimeout.TotalSeconds),
            ApplicationName = ApplicationName,
            SslMode = sslMode,
            TcpKeepAlive = true,
            TcpKeepAliveTime = (int)Math.Ceiling(keepalive.TotalSeconds),
            TcpKeepAliveInterval = 1,
            MaxPoolSize = maxPoolSize,
        };
        // The server's own TCP keepalives on TestLocks' sessions (user-settable, per session): a holder cut off by a
        // partition declares its lock lost after keepalive, but the server keeps its session, so the lock, until the
        // server's TCP gives up on the connection (2 hours and more with the system's defaults). Probed after keepalive
        // seconds of silence, every second, ServerKeepaliveProbes times: the server frees the lock within keepalive +
        // ServerKeepaliveProbes seconds of the last word from the holder, after the holder knew (keepalive + its 1 s check).
        var serverKeepalive = $"-c tcp_keepalives_idle={(int)Math.Ceiling(keepalive.TotalSeconds)} -c tcp_keepalives_interval=1 -c tcp_keepalives_count={ServerKeepaliveProbes}";
        builder.Options = serverKeepalive;
        var fallback = builder.ConnectionString;
        if (clientCheck > TimeSpan.Zero) builder.Options = $"{serverKeepalive} -c client_connection_check_interval={(int)Math.Ceiling(clientCheck.TotalMilliseconds)}";
        return new PostgresOptions
        {
            ConnectionString = builder.ConnectionString,
            FallbackConnectionString = fallback,
            Url = parts,
            Database = database,
            ConnectTimeout = connectTimeout,
            Keepalive = keepalive,
            MaxPoolSize = maxPoolSize,
        };
    }

    private static SslMode ParseSslMode(string text, BackendUrlOptions parts) => text.ToLowerInvariant() switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw new TestLocksConfigurationException(
            $"backend_url (from {parts.Origin}) has sslmode={text}; use disable, allow, prefer, require, verify-ca or verify-full."),
    };

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
