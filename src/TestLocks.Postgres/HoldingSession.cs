using System.Net.Sockets;
using System.Text;
using Npgsql;
using TestLocks.Backends;

namespace TestLocks.Postgres;

/// <summary>
/// The one session through which this process holds every lock it took without waiting (see
/// <see cref="HoldingSessions"/>). Session advisory locks belong to the session, which may hold any number of them:
/// <c>pg_try_advisory_lock[_shared]</c> on it takes a lock, <c>pg_advisory_unlock[_shared]</c> on it gives it back.
/// Its statements run one at a time (a gate), so a grant or release waits for at most one statement of another lock.
/// </summary>
/// <remarks>
/// <para>Loss is one for all: the session's end is the end of every lock on it. Once any of its locks has been asked
/// for its <c>HandleLostToken</c>, the session is watched as a lock's own session is (<see cref="PostgresSession"/>): a
/// read kept pending on the idle session ends at once on the server's termination message or a closed socket, and
/// after each second of quiet a check must be answered within keepalive. Every statement on it is held to the same
/// bound. A failed or unanswered statement, of any lock, loses the session and with it every lock it holds: every
/// handle's token fires and every release throws, and the next grant opens a new session. A pending read is cancelled
/// (client side only) whenever a grant or release wants the session.</para>
/// <para>The holder records of all its locks ride on every statement, as keyed comments
/// (<see cref="HolderComment.WriteKeyed"/>), newest first, as many as fit in the server's
/// <c>track_activity_query_size</c>: pg_stat_activity keeps no more. A waiter whose lock's record was cut names the
/// holder from application_name (pid and host). A write lock's fencing token is drawn by its grant, so its record
/// carries the token from the statement after it, sent at once.</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Lives until its locks are lost or the process ends; handles may read its token and gate until then. Its connection is closed when it is lost.")]
internal sealed class HoldingSession
{
    private readonly NpgsqlConnection _connection;
    private readonly int _statementBytes;
    private readonly TimeSpan _answerWithin;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost = new();
    private readonly List<SharedSessionLock> _held = []; // oldest first; read and changed only under the gate
    private CancellationTokenSource? _idle; // the watch's pending read, cancelled when a statement wants the session
    private int _wanting;
    private int _watching;
    private int _losing;

    private HoldingSession(NpgsqlConnection connection, int statementBytes, TimeSpan answerWithin)
    {
        _connection = connection;
        _statementBytes = statementBytes;
        _answerWithin = answerWithin;
    }

    /// <summary>Opens the session, unpooled: it lives as long as it holds locks or this process, and its end (a
    /// close, not a return to a pool) is what frees its locks on the server.</summary>
    public static async Task<HoldingSession> OpenAsync(string connectionString, TimeSpan answerWithin, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT setting::int FROM pg_catalog.pg_settings WHERE name = 'track_activity_query_size'", connection);
            var bytes = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as int? ?? 1024;
            return new HoldingSession(connection, bytes, answerWithin);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether the session was lost (or found broken): none of its locks is held any more.</summary>
    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Fires when the session is lost, for every lock on it.</summary>
    public CancellationToken LostToken => _lost.Token;

    /// <summary>One round trip: <c>pg_try_advisory_lock</c>, with the holder records. A write lock's statement also
    /// draws its fencing token (see <see cref="PostgresLockBackend"/>); a second statement then shows it in the records.</summary>
    /// <returns>The held lock, or null when someone else holds it (or waits for it first: the server keeps its queue).</returns>
    public async Task<SharedSessionLock?> TryTakeAsync(long key, LockMode mode, LockHolder self, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfLost();
            var taken = new SharedSessionLock(this, key, mode, self with { Since = DateTimeOffset.UtcNow });
            var grant = mode == LockMode.Read
                ? $"SELECT pg_catalog.pg_try_advisory_lock_shared({key}) "
                : $"SELECT CASE WHEN pg_catalog.pg_try_advisory_lock({key}) THEN pg_catalog.txid_current() END AS t OFFSET 0 ";
            // Once the statement runs the lock may be granted, so its record rides on it.
            var result = await RunAsync(grant + Records(grant.Length, taken)).ConfigureAwait(false);
            if (result is not (true or long)) return null;
            _held.Add(taken);
            if (result is long token)
            {
                taken.FencingToken = token;
                const string ShowToken = "SELECT 'token' ";
                try
                {
                    await RunAsync(ShowToken + Records(ShowToken.Length)).ConfigureAwait(false);
                }
                catch (Exception e) when (IsLost && IsSessionFailure(e))
                {
                    // Granted, then lost with the session before the token was shown: the acquire returns the lock,
                    // lost with the others on the session (its token fires, its release throws LockLostException).
                    // Failing instead would retry the acquire on a new session, which could be granted there while
                    // the locks the caller took before it on this session were lost.
                }
            }
            return taken;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary><c>pg_advisory_unlock[_shared]</c> of one lock on the session.</summary>
    /// <exception cref="NpgsqlException">The session, so the lock, was lost.</exception>
    /// <exception cref="InvalidOperationException">The session no longer held the lock.</exception>
    public async Task ReleaseAsync(SharedSessionLock held)
    {
        ThrowIfLost();
        await EnterAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            ThrowIfLost();
            _held.Remove(held);
            var unlock = held.Mode == LockMode.Read ? "pg_advisory_unlock_shared" : "pg_advisory_unlock";
            var statement = $"SELECT pg_catalog.{unlock}({held.Key}) ";
            if (await RunAsync(statement + Records(statement.Length)).ConfigureAwait(false) is not true)
            {
                throw new InvalidOperationException("the session no longer held the advisory lock when it was released");
            }
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>An acquire that meets a lost session tries once more on a new one (an <see cref="NpgsqlException"/>
    /// without a socket cause is retried, see <see cref="PostgresLockBackend"/>); a release fails, as its lock was lost.</summary>
    private void ThrowIfLost()
    {
        if (IsLost) throw new NpgsqlException("the session that held this process's locks ended or stopped answering, and with it every lock on it");
    }

    /// <summary>Starts watching the session for loss, once: see the remarks.</summary>
    public void Watch()
    {
        if (!IsLost && Interlocked.Exchange(ref _watching, 1) == 0) _ = Task.Run(WatchAsync);
    }

    /// <summary>The holder records, newest first, as many as fit in pg_stat_activity after the statement.</summary>
    /// <param name="statement">The length of the statement before them (ASCII).</param>
    /// <param name="taking">A lock being taken by this statement, not yet held.</param>
    private string Records(int statement, SharedSessionLock? taking = null)
    {
        // The server keeps track_activity_query_size bytes less the terminating zero. Records are ASCII (HolderComment
        // escapes the rest), so characters are bytes.
        var budget = _statementBytes - 1 - statement;
        var records = new StringBuilder();
        if (taking is not null) Append(taking);
        for (var i = _held.Count - 1; i >= 0; i--)
        {
            if (!Append(_held[i])) break;
        }
        return records.ToString();

        bool Append(SharedSessionLock held)
        {
            var record = held.Record;
            if (records.Length + record.Length + 1 > budget) return false;
            records.Append(record).Append(' ');
            return true;
        }
    }

    /// <summary>A statement the server must answer within keepalive; a failure or no answer loses the session.</summary>
    private async Task<object?> RunAsync(string sql)
    {
        using var cancel = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource(_answerWithin);
        await using var lose = deadline.Token.UnsafeRegister(state =>
        {
            Lose();
            // Npgsql sends its cancel request inside the token's callback, on a new connection a stalled network stalls too.
            _ = ((CancellationTokenSource)state!).CancelAsync();
        }, cancel).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
            var result = await command.ExecuteScalarAsync(cancel.Token).ConfigureAwait(false);
            ThrowIfLost(); // answered, but after the deadline had declared every lock on it lost
            return result is DBNull ? null : result;
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"PostgreSQL did not answer a statement on the session holding this process's locks within keepalive={_answerWithin.TotalSeconds:0.###}s", e);
        }
        catch (Exception e) when (IsSessionFailure(e))
        {
            Lose();
            throw;
        }
    }

    private static bool IsSessionFailure(Exception e) =>
        e is NpgsqlException or IOException or SocketException or TimeoutException or OperationCanceledException or InvalidOperationException;

    /// <summary>Declares every lock on the session lost and closes it (once no statement runs on it), which frees them
    /// on the server if it still had them.</summary>
    private void Lose()
    {
        if (Interlocked.Exchange(ref _losing, 1) != 0) return;
        try { _lost.Cancel(); }
        catch (AggregateException) { } // a handle's callback failed; the others ran
        CancelIdle();
        _ = Task.Run(CloseAsync);
    }

    private async Task CloseAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false); // a statement that runs ends within keepalive (then cancelled)
        try
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or SocketException or InvalidOperationException or TimeoutException)
        {
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Takes the session for a statement, cancelling the watch's pending read.</summary>
    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _wanting);
        try
        {
            CancelIdle();
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _wanting);
        }
    }

    private void Exit() => _gate.Release();

    private void CancelIdle()
    {
        try { Volatile.Read(ref _idle)?.Cancel(); }
        catch (ObjectDisposedException) { } // the read ended at the same moment
    }

    /// <summary>How long a watched session stays quiet before its check statement.</summary>
    private static readonly TimeSpan CheckInterval = PostgresSession.CheckInterval;

    /// <summary>Watches the session while it holds locks: a read kept pending while it is idle, and a check after
    /// each second of quiet. Every statement of a grant or release goes first: it cancels the pending read, and the
    /// watch waits behind it at the gate (whose waiters go in turn).</summary>
    private async Task WatchAsync()
    {
        var quiet = (int)CheckInterval.TotalMilliseconds;
        while (true)
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            var yield = false;
            using var idle = new CancellationTokenSource();
            try
            {
                if (IsLost || _held.Count == 0)
                {
                    // Nothing to watch: the next lock asked for its token starts a new watch.
                    Volatile.Write(ref _watching, 0);
                    return;
                }
                Interlocked.Exchange(ref _idle, idle);
                if (Volatile.Read(ref _wanting) > 0)
                {
                    yield = true; // a grant or release waits at the gate: let it go first
                }
                else if (!await _connection.WaitAsync(quiet, idle.Token).ConfigureAwait(false))
                {
                    // True on a message from the server (a notice), false after quiet; throws when the session ends.
                    const string Check = "SELECT 1 ";
                    await RunAsync(Check + Records(Check.Length)).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (idle.IsCancellationRequested && !IsLost)
            {
                yield = true;
            }
            catch (Exception e) when (IsSessionFailure(e))
            {
                Lose();
                Volatile.Write(ref _watching, 0);
                return;
            }
            finally
            {
                Interlocked.Exchange(ref _idle, null);
                _gate.Release();
            }
            if (yield) await Task.Yield();
        }
    }
}
