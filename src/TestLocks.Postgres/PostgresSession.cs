using System.Net.Sockets;
using Medallion.Threading;
using Npgsql;
using TestLocks.Backends;
using TestLocks.Backends.Server;

namespace TestLocks.Postgres;

/// <summary>
/// A lock waited for, then held, on a session of its own (a pooled Npgsql connection kept open while the lock is held;
/// locks taken without waiting share the process's <see cref="HoldingSession"/>). The
/// statement that took it carries the holder record as a comment (<c>/* testlocks {...} */</c>), so waiters read who
/// holds the lock from <c>pg_stat_activity.query</c> of the holder's session at no cost to the holder. Releasing runs
/// <c>pg_advisory_unlock</c> and returns the connection to the pool; a release that finds the lock no longer held, or
/// the session gone, throws, since the lock was lost.
/// </summary>
/// <remarks>
/// <see cref="HandleLostToken"/> is watched once read, by a read kept pending on the idle session
/// (<see cref="NpgsqlConnection.WaitAsync(int, CancellationToken)"/>): the server's termination message (a restart, an
/// administrator's <c>pg_terminate_backend</c>) or the socket closing (a cut or reset connection) ends it at once, so
/// the holder knows within milliseconds, without a statement. The bounded fallback, for a stall that closes nothing (a
/// frozen network or server): after every <see cref="CheckInterval"/> of quiet a statement on the session (repeating
/// the record, so the session still shows it) must be answered within <c>keepalive</c>, or the lock is declared lost.
/// </remarks>
internal sealed class PostgresSession : IFencedHandle
{
    /// <summary>How long a watched session stays quiet before its check statement.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly NpgsqlConnection _connection;
    private readonly long _key;
    private readonly LockMode _mode;
    private readonly string _checkSql;
    private readonly TimeSpan _answerWithin;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private int _watching;
    private int _released;

    /// <summary>A lock held on <paramref name="connection"/>; a check statement unanswered for
    /// <paramref name="answerWithin"/> (keepalive) declares it lost.</summary>
    /// <param name="connection">The session holding the lock.</param>
    /// <param name="key">The advisory lock key.</param>
    /// <param name="mode">Shared (read) or exclusive (write).</param>
    /// <param name="record">The holder record, a SQL comment repeated by every check.</param>
    /// <param name="fencingToken">The fencing token the acquiring statement drew.</param>
    /// <param name="answerWithin">How long a check statement may go unanswered before the lock is declared lost.</param>
    public PostgresSession(NpgsqlConnection connection, long key, LockMode mode, string record, long? fencingToken, TimeSpan answerWithin)
    {
        FencingToken = fencingToken;
        _connection = connection;
        _key = key;
        _mode = mode;
        _checkSql = $"SELECT 1 {record}";
        _answerWithin = answerWithin;
    }

    /// <summary>The fencing token the acquiring statement drew (a transaction id); null for a read lock.</summary>
    public long? FencingToken { get; }

    public CancellationToken HandleLostToken
    {
        get
        {
            if (Volatile.Read(ref _released) == 0 && Interlocked.Exchange(ref _watching, 1) == 0) _ = Task.Run(WatchAsync);
            return _lost.Token;
        }
    }

    /// <summary>Watches the session until it is released or lost. It holds the session (the gate) while it watches;
    /// a release stops it (<see cref="_stop"/>) and takes the gate.</summary>
    private async Task WatchAsync()
    {
        var quiet = (int)CheckInterval.TotalMilliseconds;
        while (true)
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (Volatile.Read(ref _released) != 0) return;
                // Returns true on a message from the server (a notice), false after quiet; throws when the session ends.
                if (await _connection.WaitAsync(quiet, _stop.Token).ConfigureAwait(false)) continue;
                await CheckAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return; // released
            }
            catch (Exception e) when (e is NpgsqlException or IOException or SocketException or InvalidOperationException or TimeoutException or OperationCanceledException)
            {
                Lose();
                return;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>The fallback: a statement the server must answer within keepalive. Past it the lock is declared lost
    /// at once; the statement is then cancelled, which ends the session if the server still does not answer. The
    /// cancellation runs apart from the loss: Npgsql sends its cancel request inside the token's callback, on a new
    /// connection that a stalled network also stalls (up to connect_timeout, then its 2 s cancellation timeout).</summary>
    private async Task CheckAsync()
    {
        using var cancel = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource(_answerWithin);
        await using var lose = deadline.Token.UnsafeRegister(state =>
        {
            Lose();
            _ = ((CancellationTokenSource)state!).CancelAsync();
        }, cancel).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_checkSql, _connection) { CommandTimeout = 0 };
        await command.ExecuteScalarAsync(cancel.Token).ConfigureAwait(false);
    }

    private void Lose()
    {
        if (Volatile.Read(ref _released) == 0) _lost.Cancel();
    }

    private string UnlockSql => _mode == LockMode.Read ? "SELECT pg_catalog.pg_advisory_unlock_shared($1)" : "SELECT pg_catalog.pg_advisory_unlock($1)";

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        _stop.Cancel();
        _gate.Wait();
        try
        {
            using var command = new NpgsqlCommand(UnlockSql, _connection) { Parameters = { new NpgsqlParameter { Value = _key } } };
            Check((bool)command.ExecuteScalar()!);
        }
        finally
        {
            _connection.Dispose();
            _gate.Release(); // a watch that had not started yet finds the lock released and ends
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(UnlockSql, _connection) { Parameters = { new NpgsqlParameter { Value = _key } } };
            Check((bool)(await command.ExecuteScalarAsync().ConfigureAwait(false))!);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _gate.Release(); // a watch that had not started yet finds the lock released and ends
        }
    }

    private static void Check(bool unlocked)
    {
        if (!unlocked) throw new InvalidOperationException("the session no longer held the advisory lock when it was released");
    }
}
