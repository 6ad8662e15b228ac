using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Medallion.Threading;
using Npgsql;
using TestLocks.Backends;
using TestLocks.Backends.Server;

namespace TestLocks.Postgres;

/// <summary>
/// Locks as PostgreSQL session advisory locks on DistributedLock.Postgres's keys (its programs share them): every lock
/// taken without waiting on one holding session per process (<see cref="HoldingSession"/>), every lock waited for on a
/// pooled session of its own (<see cref="PostgresSession"/>). Every lock is the reader/writer lock of its name, so an
/// exclusive lock and the write side of a reader/writer lock of the same name are one lock. The server wakes a waiter
/// the moment the holder releases, and drops a dead holder's locks with its connection.
/// </summary>
internal sealed partial class PostgresLockBackend(PostgresOptions options) : DistributedLockBackend(options.Url)
{
    public override string Kind => "postgres";

    private volatile string _connectionString = options.ConnectionString;

    public PostgresOptions Options { get; } = options;

    protected override string LostReason =>
        $"the connection to the PostgreSQL server {Url.Display} that held it dropped (server restart or failure, network loss, or the session was terminated), " +
        "and PostgreSQL frees a session's advisory locks when the session ends";

    /// <summary>The advisory lock key of <paramref name="name"/>: the first 8 bytes of SHA-1 over its UTF-8 bytes,
    /// little-endian, which is what <c>new PostgresAdvisoryLockKey(name, allowHashing: true)</c> gives for names that
    /// are not 9-character ASCII or hex keys, so DistributedLock programs can share the lock.</summary>
    public static long KeyOf(string name)
    {
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // not security: the key DistributedLock derives from a name, which interop needs
        SHA1.HashData(Encoding.UTF8.GetBytes(name), hash);
#pragma warning restore CA5350
        return BitConverter.ToInt64(hash[..8]);
    }

    protected override string KeyDescription(string key) => $"advisory lock {KeyOf(key)} (\"{key}\")";

    protected override async ValueTask<IDistributedSynchronizationHandle?> TryAcquireCoreAsync(string key, LockMode mode, LockHolder self, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await TakeAsync(key, mode, self, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (CanRetry(e, cancellationToken))
        {
            return await TakeAsync(key, mode, self, timeout, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override IDistributedSynchronizationHandle? TryAcquireCore(string key, LockMode mode, LockHolder self, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return Take(key, mode, self, timeout, cancellationToken);
        }
        catch (NpgsqlException e) when (CanRetry(e, cancellationToken))
        {
            return Take(key, mode, self, timeout, cancellationToken);
        }
    }

    /// <summary>One statement, one round trip: <c>pg_try_advisory_lock</c> (or, to wait, <c>pg_advisory_lock</c> under
    /// lock_timeout), with the holder record as a comment that pg_stat_activity shows to waiters. A write lock's statement
    /// answers the fencing token (null when not granted): see <see cref="FencingSql"/>.</summary>
    private static string AcquireSql(long key, LockMode mode, TimeSpan timeout, string record)
    {
        var shared = mode == LockMode.Read ? "_shared" : "";
        var wait = "";
        if (timeout != TimeSpan.Zero)
        {
            var ms = timeout == Timeout.InfiniteTimeSpan ? 0 : Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));
            wait = $"SET statement_timeout = 0; SET lock_timeout = {ms}; ";
        }
        if (mode == LockMode.Read) return $"{wait}SELECT pg_catalog.{(wait.Length == 0 ? "pg_try_advisory_lock" : "pg_advisory_lock")}{shared}({key}) {record}";
        var granted = wait.Length == 0
            ? $"SELECT CASE WHEN pg_catalog.pg_try_advisory_lock({key}) THEN pg_catalog.txid_current() END AS t OFFSET 0"
            : $"SELECT pg_catalog.txid_current() AS t FROM (SELECT pg_catalog.pg_advisory_lock({key}) OFFSET 0) AS w OFFSET 0";
        return $"{wait}{FencingSql(granted)} {record}";
    }

    /// <summary>
    /// The fencing token of a write lock is the id of a transaction begun once the lock is granted
    /// (<c>txid_current()</c>, 64 bits with the wraparound epoch), drawn in the statement that takes the lock. PostgreSQL
    /// hands out transaction ids in increasing order across the whole server and never again, restarts included, and
    /// every earlier holder drew its id while it held the lock, so before this one was granted it: each token is
    /// greater than all tokens before it, whoever drew them, dead or alive. No table, no sequence, no rights beyond
    /// connecting, and DistributedLock's programs still share the lock. The token also goes into the session's
    /// application_name (<c>testlocks pid 42 token 1234 on ci-3</c>), where waiters read it with the holder.
    /// </summary>
    /// <param name="granted">A query answering one row with <c>t</c>, the token, or null when the lock was not granted.</param>
    private static string FencingSql(string granted) =>
        $"SELECT l.t, CASE WHEN l.t IS NOT NULL THEN pg_catalog.set_config('application_name', " +
        $"'{PostgresOptions.ApplicationNameWithToken.Replace("'", "''", StringComparison.Ordinal)}' || l.t::text || ' on {PostgresOptions.Host.Replace("'", "''", StringComparison.Ordinal)}', false) END " +
        $"FROM ({granted}) AS l";

    /// <summary>The holder record as a SQL comment: see <see cref="HolderComment"/>.</summary>
    private static string Comment(LockHolder self) => HolderComment.Write(self);

    /// <summary>A try (no wait) runs on this process's holding session, with every lock the process took so; a wait
    /// blocks a session, so it runs on a pooled session of its own, which then holds the lock: advisory locks belong to
    /// a session, and one granted on the waiting session cannot move to the holding session without a moment in which
    /// neither holds it (an exclusive lock held by one session conflicts with a try by another of the same process).</summary>
    private async ValueTask<IDistributedSynchronizationHandle?> TakeAsync(string name, LockMode mode, LockHolder self, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout == TimeSpan.Zero) return await TryTakeSharedAsync(name, mode, self, cancellationToken).ConfigureAwait(false);
        var key = KeyOf(name);
        var connection = new NpgsqlConnection(_connectionString);
        var kept = false;
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(AcquireSql(key, mode, timeout, Comment(self)), connection) { CommandTimeout = 0 };
            object? result;
            var cancel = new ServerCancel(_connectionString, command, connection.ProcessID);
            try
            {
                await using (cancellationToken.UnsafeRegister(static c => ((ServerCancel)c!).Start(), cancel).ConfigureAwait(false))
                {
                    try
                    {
                        result = await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                    finally
                    {
                        cancel.Ended();
                    }
                }
            }
            catch (PostgresException e) when (e.SqlState == LockNotAvailable)
            {
                await cancel.SentAsync().ConfigureAwait(false);
                await UnlockAllAsync(connection).ConfigureAwait(false); // granted at the last moment (DistributedLock #147): give it back
                return null;
            }
            catch (PostgresException e) when (e.SqlState == QueryCanceled && cancel.Started)
            {
                await cancel.SentAsync().ConfigureAwait(false);
                await UnlockAllAsync(connection).ConfigureAwait(false);
                throw new OperationCanceledException(cancellationToken);
            }
            // A cancel asked for as the lock was granted lands before the session's next statement, which it must not cancel.
            await cancel.SentAsync().ConfigureAwait(false);
            if (result is false || (mode == LockMode.Write && result is not long)) return null;
            kept = true;
            return new PostgresSession(connection, key, mode, Comment(self with { Since = DateTimeOffset.UtcNow }), result as long?, Options.Keepalive);
        }
        finally
        {
            if (!kept) await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IDistributedSynchronizationHandle? Take(string name, LockMode mode, LockHolder self, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout == TimeSpan.Zero) return TryTakeSharedAsync(name, mode, self, cancellationToken).GetAwaiter().GetResult();
        var key = KeyOf(name);
        var connection = new NpgsqlConnection(_connectionString);
        var kept = false;
        try
        {
            connection.Open();
            using var command = new NpgsqlCommand(AcquireSql(key, mode, timeout, Comment(self)), connection) { CommandTimeout = 0 };
            object? result;
            try
            {
                using var cancel = cancellationToken.Register(static c => ((NpgsqlCommand)c!).Cancel(), command);
                result = command.ExecuteScalar();
            }
            catch (PostgresException e) when (e.SqlState == LockNotAvailable)
            {
                UnlockAll(connection);
                return null;
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is PostgresException { SqlState: QueryCanceled } or OperationCanceledException)
            {
                UnlockAll(connection);
                throw new OperationCanceledException(cancellationToken);
            }
            if (result is false || (mode == LockMode.Write && result is not long)) return null;
            kept = true;
            return new PostgresSession(connection, key, mode, Comment(self with { Since = DateTimeOffset.UtcNow }), result as long?, Options.Keepalive);
        }
        finally
        {
            if (!kept) connection.Dispose();
        }
    }

    private async Task<SharedSessionLock?> TryTakeSharedAsync(string name, LockMode mode, LockHolder self, CancellationToken cancellationToken)
    {
        var session = await HoldingSessions.For(_connectionString).GetAsync(Options.Keepalive, cancellationToken).ConfigureAwait(false);
        return await session.TryTakeAsync(KeyOf(name), mode, self, cancellationToken).ConfigureAwait(false);
    }

    private const string LockNotAvailable = "55P03";
    private const string QueryCanceled = "57014";

    /// <summary>Frees whatever a session that is going back to the pool may hold (a lock granted as its wait ended);
    /// a session too broken for it is not pooled, and the server frees its locks as it ends.</summary>
    private static async ValueTask UnlockAllAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_catalog.pg_advisory_unlock_all()", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
        }
    }

    private static void UnlockAll(NpgsqlConnection connection)
    {
        try
        {
            using var unlock = new NpgsqlCommand("SELECT pg_catalog.pg_advisory_unlock_all()", connection);
            unlock.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
        }
    }

    /// <summary>Whether one more try may succeed, after fixing what made this one fail.</summary>
    private bool CanRetry(NpgsqlException e, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || IsPoolExhausted(e)) return false;
        if (e is PostgresException { SqlState: "42704" } && _connectionString != Options.FallbackConnectionString)
        {
            // A server older than PostgreSQL 14 does not know client_connection_check_interval: do without it.
            _connectionString = Options.FallbackConnectionString;
            return true;
        }
        var stale = e is PostgresException pg
            ? pg.SqlState.StartsWith("57P", StringComparison.Ordinal) // admin_shutdown, crash_shutdown, cannot_connect_now
            : e.InnerException is not (SocketException or TimeoutException);
        if (stale)
        {
            // The server restarted since this connection was pooled: drop the pool and try once more on a new one.
            using var connection = new NpgsqlConnection(_connectionString);
            NpgsqlConnection.ClearPool(connection);
        }
        return stale;
    }

    protected override string? Explain(Exception error) => error switch
    {
        PostgresException { SqlState: "28P01" or "28000" } pg =>
            $"PostgreSQL at {Url.Host}:{Url.Port} refused the credentials of user '{Url.User}' ({pg.MessageText}). " +
            "Fix the user and password in backend_url, or let that user in through the server's pg_hba.conf.",
        PostgresException { SqlState: "3D000" } pg =>
            $"the database '{Options.Database}' does not exist on {Url.Host}:{Url.Port} ({pg.MessageText}). " +
            "Create it (createdb), or name an existing database in backend_url's path.",
        PostgresException { SqlState: "53300" } pg =>
            $"PostgreSQL at {Url.Host}:{Url.Port} refused a new session ({pg.MessageText}): its max_connections, or the connection limit " +
            $"of user '{Url.User}' or of database '{Options.Database}', is used up by all processes together. Each process keeps one session for the " +
            "locks it takes without waiting, and one more for each lock it waits for on the server (until it releases that lock). Raise max_connections on the server (postgresql.conf, then restart it) or the " +
            "role's or database's CONNECTION LIMIT, or hold fewer locks at once (fewer shards or parallel tests).",
        PostgresException pg =>
            $"PostgreSQL at {Url.Host}:{Url.Port} answered {pg.SqlState}: {pg.MessageText}.",
        NpgsqlException when IsPoolExhausted(error) =>
            $"this process already has max_pool_size={Options.MaxPoolSize} sessions to PostgreSQL at {Url.Host}:{Url.Port} open, and none came free " +
            $"within connect_timeout={Options.ConnectTimeout.TotalSeconds:0.###}s: every lock this process waits for on the server keeps a session of its own " +
            $"while it waits and until it is released (locks taken without waiting share one session), so one process waits for at most {Options.MaxPoolSize} locks at once. " +
            $"Raise max_pool_size in backend_url " +
            $"(?max_pool_size=500; Npgsql's Maximum Pool Size), within the server's max_connections, which all processes share.",
        NpgsqlException or TimeoutException or SocketException =>
            $"cannot reach PostgreSQL at {Url.Host}:{Url.Port} within connect_timeout={Options.ConnectTimeout.TotalSeconds:0.###}s " +
            $"({Describe(error)}). Check that the server runs and accepts TCP connections there, or fix the host and port in backend_url.",
        _ => null,
    };

    /// <summary>Npgsql's pool had no free session within the timeout (it says so only in its message).</summary>
    private static bool IsPoolExhausted(Exception error) =>
        error.Message.Contains("connection pool has been exhausted", StringComparison.OrdinalIgnoreCase);

    private static string Describe(Exception error)
    {
        var inner = error.InnerException is { } i && i.Message != error.Message ? $": {i.Message}" : "";
        return error.Message + inner;
    }

    public override async ValueTask<LockHolder?> GetHolderAsync(string key, CancellationToken cancellationToken)
    {
        var k = KeyOf(key);
        const string Sql = """
            SELECT a.application_name, host(a.client_addr), l.mode, a.pid, a.query, a.state, a.state_change
            FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
            ORDER BY l.mode DESC
            LIMIT 1
            """;
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)(k >> 32) });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)k });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            var application = reader.IsDBNull(0) ? "" : reader.GetString(0);
            var client = reader.IsDBNull(1) ? "a local socket" : reader.GetString(1);
            var mode = reader.GetString(2) == "ShareLock" ? LockMode.Read : LockMode.Write;
            var session = reader.GetInt32(3);
            var query = reader.IsDBNull(4) ? "" : reader.GetString(4);
            var idle = !reader.IsDBNull(5) && reader.GetString(5) == "idle";
            DateTimeOffset? stateChange = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6);
            var note = $"PostgreSQL session {session} from {client}";
            // The statement that took the lock (or the last check of a watched one) carries the holder record.
            var match = ApplicationNamePattern().Match(application);
            // A write lock's session shows its fencing token in application_name.
            long? token = mode == LockMode.Write && match.Groups[2].Success && long.TryParse(match.Groups[2].ValueSpan, provider: null, out var t) ? t : null;
            // The holding session of a process carries the records of all its locks, keyed; a lock's own session, one.
            var keyed = HolderComment.IsKeyed(query);
            if (HolderComment.Read(query, k) is { } holder)
            {
                // A waiting acquire wrote the time it began to wait; the session went idle when the lock was granted.
                var since = !keyed && idle && query.Contains("advisory_lock", StringComparison.Ordinal) ? stateChange : holder.Since;
                return holder with { Mode = mode, Since = since ?? holder.Since, Note = note, FencingToken = holder.FencingToken ?? token };
            }
            var hidden = keyed
                ? "; its record did not fit in pg_stat_activity (track_activity_query_size) with those of the other locks its session holds"
                : "; its statement is not visible to this user";
            return match.Success
                ? new LockHolder(int.Parse(match.Groups[1].ValueSpan, provider: null), match.Groups[3].Value, null, null, mode, note + hidden) { FencingToken = token }
                : new LockHolder(null, null, null, null, mode, $"{note}, application_name '{application}': not a TestLocks process");
        }
        catch (Exception e) when (Failure(e, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    [GeneratedRegex("^testlocks pid ([0-9]+)(?: token ([0-9]+))? on (.+)$")]
    private static partial Regex ApplicationNamePattern();
}
