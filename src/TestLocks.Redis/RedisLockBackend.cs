using System.Collections.Concurrent;
using Medallion.Threading;
using Medallion.Threading.Redis;
using StackExchange.Redis;
using TestLocks.Backends;

namespace TestLocks.Redis;

/// <summary>
/// Locks as DistributedLock.Redis reader/writer locks on one Redis server. Every lock is the reader/writer lock of its
/// name, so an exclusive lock and the write side of a reader/writer lock of the same name are one lock. A holder
/// renews its lease in the background; when its connection to the server drops, every lock it holds counts as lost
/// at once, since a restarted server may have forgotten them and handed them to someone else.
/// </summary>
internal sealed class RedisLockBackend(RedisOptions options) : DistributedLockBackend(options.Url)
{
    /// <summary>How long a holder record outlives its last write: longer than any test holds a lock, short enough that
    /// records of names no longer used leave the server.</summary>
    private static readonly TimeSpan s_recordLifetime = TimeSpan.FromDays(1);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly ConcurrentDictionary<DistributedBackendLock, byte> _held = new();
    private readonly ConcurrentDictionary<string, RedisDistributedReaderWriterLock> _locks = new(StringComparer.Ordinal);
    private ConnectionMultiplexer? _connection;

    public RedisOptions Options { get; } = options;

    protected override string LostReason =>
        $"its lease on Redis {Url.Display} was not renewed in time (lock_timeout={Options.Lease.TotalSeconds:0.###}s): the key expired " +
        "or was removed, for example by a server restart that kept no data";

    protected override string KeyDescription(string key) => $"keys '{key}.writer' and '{key}.readers'";

    private static string RecordKey(string key) => key + ".holder";

    protected override async ValueTask<IDistributedSynchronizationHandle?> TryAcquireCoreAsync(string key, LockMode mode, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var @lock = LockFor(key, await ConnectAsync(cancellationToken).ConfigureAwait(false));
        return mode == LockMode.Read
            ? await @lock.TryAcquireReadLockAsync(timeout, cancellationToken).ConfigureAwait(false)
            : await @lock.TryAcquireWriteLockAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    protected override IDistributedSynchronizationHandle? TryAcquireCore(string key, LockMode mode, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var @lock = LockFor(key, Connect(cancellationToken));
        return mode == LockMode.Read ? @lock.TryAcquireReadLock(timeout, cancellationToken) : @lock.TryAcquireWriteLock(timeout, cancellationToken);
    }

    private RedisDistributedReaderWriterLock LockFor(string key, ConnectionMultiplexer connection) =>
        _locks.GetOrAdd(key, static (k, state) => new RedisDistributedReaderWriterLock(k, state.Connection.GetDatabase(state.Options.Database), o => o
            .Expiry(state.Options.Lease)
            .BusyWaitSleepTime(TimeSpan.FromMilliseconds(Math.Min(10, state.Options.BusyWait.TotalMilliseconds)), state.Options.BusyWait)),
            (Connection: connection, Options));

    protected override DistributedBackendLock OnAcquired(string key, LockMode mode, LockHolder self, IDistributedSynchronizationHandle handle)
    {
        // Watched from the start: the lease monitor runs anyway, and releasing an expired lease does not fail.
        var held = new DistributedBackendLock(handle, key, Describe(key), LostReason, watchNow: true, released => _held.TryRemove(released, out _));
        _held[held] = 0;
        var connection = Volatile.Read(ref _connection);
        if (connection is not null && !connection.IsConnected) held.MarkLost(Dropped("before the lock was handed out"));
        // The record is not removed on release: readers check that the lock is held before they believe it, and the
        // next holder overwrites it. One command, sent without waiting for its answer, is all a lock costs here.
        var record = HolderJson.Write(self);
        SendQuietly(db => db.StringSet(RecordKey(key), record, s_recordLifetime, flags: CommandFlags.FireAndForget));
        return held;
    }

    /// <summary>Holder records are diagnostics: sent without waiting for the answer, and never allowed to fail a lock.</summary>
    private void SendQuietly(Action<IDatabase> send)
    {
        if (Volatile.Read(ref _connection) is not { } connection) return;
        try { send(connection.GetDatabase(Options.Database)); }
        catch (RedisException) { }
        catch (ObjectDisposedException) { }
    }

    private async ValueTask<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } connection) return connection;
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _connection ??= Watch(await ConnectionMultiplexer.ConnectAsync(Options.Configuration).ConfigureAwait(false));
        }
        finally
        {
            _connecting.Release();
        }
    }

    private ConnectionMultiplexer Connect(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } connection) return connection;
        _connecting.Wait(cancellationToken);
        try
        {
            return _connection ??= Watch(ConnectionMultiplexer.Connect(Options.Configuration));
        }
        finally
        {
            _connecting.Release();
        }
    }

    private ConnectionMultiplexer Watch(ConnectionMultiplexer connection)
    {
        connection.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType != ConnectionType.Interactive) return;
            var reason = Dropped($"{e.FailureType}");
            foreach (var held in _held.Keys) held.MarkLost(reason);
        };
        return connection;
    }

    private string Dropped(string detail) =>
        $"the connection to Redis {Url.Display} dropped while it was held ({detail}); a Redis server that restarts or fails over may " +
        "have forgotten the lock and handed it to another holder, so TestLocks counts it as lost";

    protected override string? Explain(Exception error) => error switch
    {
        RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } e => Credentials(e),
        RedisServerException e when e.Message.StartsWith("NOAUTH", StringComparison.Ordinal) || e.Message.StartsWith("WRONGPASS", StringComparison.Ordinal) => Credentials(e),
        RedisConnectionException e =>
            $"cannot reach Redis at {Url.Host}:{Url.Port} within socket_timeout={Options.SocketTimeout.TotalSeconds:0.###}s ({FirstLine(e.Message)}). " +
            "Check that redis-server runs and accepts TCP connections there, or fix the host and port in backend_url.",
        RedisTimeoutException e =>
            $"Redis at {Url.Host}:{Url.Port} did not answer within socket_timeout={Options.SocketTimeout.TotalSeconds:0.###}s ({FirstLine(e.Message)}). " +
            "Check the server's health, or raise socket_timeout in backend_url.",
        RedisException e => $"Redis at {Url.Host}:{Url.Port} failed: {FirstLine(e.Message)}",
        _ => null,
    };

    private string Credentials(Exception e) =>
        $"Redis at {Url.Host}:{Url.Port} refused the credentials{(Url.User is { Length: > 0 } user ? $" of user '{user}'" : "")} ({FirstLine(e.Message)}). " +
        "Fix the password (redis://:PASSWORD@host:port, or redis://USER:PASSWORD@host:port for an ACL user) in backend_url.";

    /// <summary>The client's message without its advice to retry forever (abortConnect=false), which TestLocks does not follow.</summary>
    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var advice = line.IndexOf(" To allow this multiplexer", StringComparison.Ordinal);
        return advice > 0 ? line[..advice] : line;
    }

    public override async ValueTask<LockHolder?> GetHolderAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var db = (await ConnectAsync(cancellationToken).ConfigureAwait(false)).GetDatabase(Options.Database);
            var record = db.StringGetAsync(RecordKey(key));
            var writer = db.StringGetAsync(key + ".writer");
            var readers = db.SetLengthAsync(key + ".readers");
            await Task.WhenAll(record, writer, readers).ConfigureAwait(false);
            var holder = HolderJson.Read(record.Result);
            var writing = writer.Result.HasValue && !writer.Result.ToString().EndsWith("_WRITERWAITING", StringComparison.Ordinal);
            if (writing) return holder is { Mode: LockMode.Write } ? holder : new LockHolder(null, null, null, null, LockMode.Write, "no TestLocks holder record: another DistributedLock client?");
            if (readers.Result > 0)
            {
                var note = readers.Result > 1 ? $"one of {readers.Result} readers" : null;
                return holder is { Mode: LockMode.Read } ? holder with { Note = note } : new LockHolder(null, null, null, null, LockMode.Read, note ?? "no TestLocks holder record");
            }
            return null;
        }
        catch (Exception e) when (Failure(e, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection) await connection.DisposeAsync().ConfigureAwait(false);
        _connecting.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
