using System.Net.Sockets;
using Medallion.Threading;
using Npgsql;
using TestLocks.Backends;

namespace TestLocks.Postgres;

/// <summary>
/// A held advisory lock on a session of its own (a pooled Npgsql connection kept open while the lock is held). The
/// statement that took it carries the holder record as a comment (<c>/* testlocks {...} */</c>), so waiters read who
/// holds the lock from <c>pg_stat_activity.query</c> of the holder's session at no cost to the holder. Releasing runs
/// <c>pg_advisory_unlock</c> and returns the connection to the pool; a release that finds the lock no longer held, or
/// the session gone, throws, since the lock was lost.
/// </summary>
/// <remarks>
/// <see cref="HandleLostToken"/> is watched once read: a statement on the session every <see cref="CheckInterval"/>
/// (repeating the record, so the session still shows it) finds a session that was terminated or a server that went
/// away. An idle session costs the server nothing, and a holder that dies closes its socket, which the server sees at once.
/// </remarks>
internal sealed class PostgresSession : IFencedHandle
{
    /// <summary>How often a watched session is checked.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly NpgsqlConnection _connection;
    private readonly long _key;
    private readonly LockMode _mode;
    private readonly string _checkSql;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost = new();
    private Timer? _check;
    private int _released;

    public PostgresSession(NpgsqlConnection connection, long key, LockMode mode, string record, long? fencingToken)
    {
        FencingToken = fencingToken;
        _connection = connection;
        _key = key;
        _mode = mode;
        _checkSql = $"SELECT 1 {record}";
    }

    /// <summary>The fencing token the acquiring statement drew (a transaction id); null for a read lock.</summary>
    public long? FencingToken { get; }

    public CancellationToken HandleLostToken
    {
        get
        {
            if (Volatile.Read(ref _check) is null && Volatile.Read(ref _released) == 0)
            {
                var timer = new Timer(static state => _ = ((PostgresSession)state!).CheckAsync(), this, Timeout.Infinite, Timeout.Infinite);
                if (Interlocked.CompareExchange(ref _check, timer, null) is null) timer.Change(CheckInterval, CheckInterval);
                else timer.Dispose();
            }
            return _lost.Token;
        }
    }

    private async Task CheckAsync()
    {
        if (!await _gate.WaitAsync(0).ConfigureAwait(false)) return; // a check or the release is running
        try
        {
            if (Volatile.Read(ref _released) != 0) return;
            await using var command = new NpgsqlCommand(_checkSql, _connection);
            await command.ExecuteScalarAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or SocketException or InvalidOperationException or TimeoutException)
        {
            if (Volatile.Read(ref _released) != 0) return;
            if (_check is { } timer) await timer.DisposeAsync().ConfigureAwait(false);
            _lost.Cancel();
        }
        finally
        {
            _gate.Release();
        }
    }

    private string UnlockSql => _mode == LockMode.Read ? "SELECT pg_catalog.pg_advisory_unlock_shared($1)" : "SELECT pg_catalog.pg_advisory_unlock($1)";

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        _check?.Dispose();
        _gate.Wait();
        try
        {
            using var command = new NpgsqlCommand(UnlockSql, _connection) { Parameters = { new NpgsqlParameter { Value = _key } } };
            Check((bool)command.ExecuteScalar()!);
        }
        finally
        {
            _connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        if (_check is { } timer) await timer.DisposeAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(UnlockSql, _connection) { Parameters = { new NpgsqlParameter { Value = _key } } };
            Check((bool)(await command.ExecuteScalarAsync().ConfigureAwait(false))!);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void Check(bool unlocked)
    {
        if (!unlocked) throw new InvalidOperationException("the session no longer held the advisory lock when it was released");
    }
}
