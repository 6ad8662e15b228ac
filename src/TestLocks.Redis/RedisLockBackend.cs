using System.Collections.Concurrent;
using System.Diagnostics;
using Medallion.Threading;
using StackExchange.Redis;
using TestLocks.Backends;
using TestLocks.Backends.Server;

namespace TestLocks.Redis;

/// <summary>
/// Locks as RedLock leases on one Redis server, in DistributedLock.Redis's reader/writer lock keys (<see cref="RedisScripts"/>).
/// Every lock is the reader/writer lock of its name, so an exclusive lock and the write side of a reader/writer lock of
/// the same name are one lock. Waiters sleep until a release message (<see cref="ReleaseChannels"/>: a writer's only when
/// it is next, and then the release has given it the lock), until what blocks them expires, or at most busy_wait. A holder renews its lease in the background (<see cref="RedisLease"/>); when its
/// connection to the server drops, every lock it holds counts as lost at once, since a restarted server may have
/// forgotten them and handed them to someone else.
/// </summary>
internal sealed class RedisLockBackend(RedisOptions options) : DistributedLockBackend(options.Url)
{
    public override string Kind => "redis";

    /// <summary>How long a holder record outlives its last write: longer than any test holds a lock, short enough that
    /// records of names no longer used leave the server.</summary>
    internal static readonly RedisValue RecordLifetimeMs = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly ConcurrentDictionary<DistributedBackendLock, byte> _held = new();
    private readonly ReleaseChannels _channels = new();
    private ConnectionMultiplexer? _connection;

    public RedisOptions Options { get; } = options;

    protected override string LostReason =>
        $"its lease on Redis {Url.Display} was not renewed in time (lock_timeout={Options.Lease.TotalSeconds:0.###}s): no renewal was confirmed " +
        $"within {RedisLease.ValidityShare:0%} of the lease (a network stall, a frozen server, or this process paused), so the lease may end " +
        "on the server and the lock go to another holder; or a renewal found the key expired or removed, for example by a server restart that kept no data";

    protected override string KeyDescription(string key) => $"keys '{key}.writer' and '{key}.readers'";

    internal static string RecordKey(string key) => key + ".holder";

    /// <summary>The key of the lock's fencing counter: the last fencing token given (see <see cref="RedisScripts.AcquireWrite"/>).</summary>
    internal static string FenceKey(string key) => key + ".fence";

    /// <summary>The queue of waiting writers, their entries' deadlines, and their holder records, which a release that
    /// gives the lock to the first of them writes (see <see cref="RedisScripts.AcquireWrite"/>).</summary>
    internal static RedisKey[] QueueKeys(string key) => [key + ".queue", key + ".waiters", key + ".queued"];

    protected override async ValueTask<IDistributedSynchronizationHandle?> TryAcquireCoreAsync(string key, LockMode mode, LockHolder self, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var attempt = new RedisAttempt(Options, connection.GetDatabase(Options.Database), key, mode, self);
        if (timeout == TimeSpan.Zero) return await attempt.TryAsync(takeWaitingMark: false).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var signal = await _channels.SubscribeAsync(connection, key, mode).WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var released = signal.Next;
                if (signal.TakeGrant(attempt.Id) is { } token && attempt.Granted(token) is { } granted) return granted;
                if (await attempt.TryAsync(takeWaitingMark: true).ConfigureAwait(false) is { } lease) return lease;
                if (attempt.NextTry(clock, timeout) is not { } sleep) return null;
                using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(released, Task.Delay(sleep, sleeping.Token)).ConfigureAwait(false);
                await sleeping.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            signal.Forget(attempt.Id);
            attempt.GiveUpWaitingMark();
        }
    }

    protected override IDistributedSynchronizationHandle? TryAcquireCore(string key, LockMode mode, LockHolder self, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = Connect(cancellationToken);
        var attempt = new RedisAttempt(Options, connection.GetDatabase(Options.Database), key, mode, self);
        if (timeout == TimeSpan.Zero) return attempt.Try(takeWaitingMark: false);
        var clock = Stopwatch.StartNew();
        var signal = _channels.SubscribeAsync(connection, key, mode).WaitAsync(cancellationToken).GetAwaiter().GetResult();
        try
        {
            while (true)
            {
                var released = signal.Next;
                if (signal.TakeGrant(attempt.Id) is { } token && attempt.Granted(token) is { } granted) return granted;
                if (attempt.Try(takeWaitingMark: true) is { } lease) return lease;
                if (attempt.NextTry(clock, timeout) is not { } sleep) return null;
                released.Wait(sleep, cancellationToken);
            }
        }
        finally
        {
            signal.Forget(attempt.Id);
            attempt.GiveUpWaitingMark();
        }
    }

    protected override DistributedBackendLock OnAcquired(string key, LockMode mode, LockHolder self, IDistributedSynchronizationHandle handle)
    {
        // Watched from the start: the lease is renewed anyway, and the connection's drop is known without asking.
        var held = new DistributedBackendLock(handle, key, Describe(key), LostReason, watchNow: true, released => _held.TryRemove(released, out _));
        _held[held] = 0;
        var connection = Volatile.Read(ref _connection);
        if (connection is not null && !connection.IsConnected) held.MarkLost(Dropped("before the lock was handed out"));
        return held;
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
        // A release message sent while the connection was down is lost, and a waiter that expects one sleeps long (RedisOptions.IdleWait).
        connection.ConnectionRestored += (_, _) => _channels.WakeAll();
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
            return await RestartGraceAsync(db).ConfigureAwait(false);
        }
        catch (Exception e) when (Failure(e, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Nobody holds the lock, but the server may still refuse it: within a lease of its (re)start
    /// (<see cref="RedisScripts.EpochKey"/>). Said as the holder, so a waiter is told why it waits.</summary>
    private async Task<LockHolder?> RestartGraceAsync(IDatabase db)
    {
        var epoch = await db.StringGetAsync(RedisScripts.EpochKey).ConfigureAwait(false);
        var time = (RedisResult[])(await db.ExecuteAsync("TIME").ConfigureAwait(false))!;
        var nowMs = (long)time[0] * 1000 + (long)time[1] / 1000;
        var since = epoch.IsNull ? nowMs : epoch.TryParse(out long value) ? value : 0;
        var left = (since + Options.Lease.TotalMilliseconds - nowMs) / 1000;
        if (left <= 0) return null;
        return new LockHolder(null, null, null, null, LockMode.Write,
            $"nobody: this Redis server started or restarted less than lock_timeout={Options.Lease.TotalSeconds:0.###}s ago and may have forgotten locks " +
            $"held before, so it grants none for {left:0.#}s more ('{RedisScripts.EpochKey}' in docs/backends.md; a server started fresh for this run " +
            $"can skip the wait with: redis-cli SET {RedisScripts.EpochKey} 0)");
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection) await connection.DisposeAsync().ConfigureAwait(false);
        _connecting.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
