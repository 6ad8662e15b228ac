using Medallion.Threading;
using Medallion.Threading.Postgres;
using Medallion.Threading.Redis;
using Npgsql;
using StackExchange.Redis;

namespace TestLocks.Bench;

/// <summary>
/// The baseline: DistributedLock used directly, as a program without TestLocks would, on the same server and the same
/// primitive TestLocks uses (the write side of a reader/writer lock, with DistributedLock's default options).
/// </summary>
internal static class DirectLocks
{
    private static readonly Dictionary<string, ConnectionMultiplexer> s_redis = [];

    public static IDistributedLockProvider ForUrl(string backendUrl)
    {
        var url = new Uri(backendUrl);
        var userInfo = url.UserInfo.Split(':', 2);
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null;
        if (url.Scheme.StartsWith("postgres", StringComparison.Ordinal))
        {
            var connectionString = new NpgsqlConnectionStringBuilder
            {
                Host = url.Host, Port = url.Port, Username = Uri.UnescapeDataString(userInfo[0]), Password = password, Database = url.AbsolutePath.Trim('/'),
            }.ConnectionString;
            return new WriteLockProvider(name => new PostgresDistributedReaderWriterLock(new PostgresAdvisoryLockKey(name, allowHashing: true), connectionString));
        }
        lock (s_redis)
        {
            if (!s_redis.TryGetValue(backendUrl, out var connection))
            {
                s_redis[backendUrl] = connection = ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { { url.Host, url.Port } }, Password = password });
            }
            var db = connection.GetDatabase();
            return new WriteLockProvider(name => new RedisDistributedReaderWriterLock(name, db));
        }
    }

    private sealed class WriteLockProvider(Func<string, IDistributedReaderWriterLock> create) : IDistributedLockProvider
    {
        public IDistributedLock CreateLock(string name) => new WriteSide(create(name));
    }

    private sealed class WriteSide(IDistributedReaderWriterLock rw) : IDistributedLock
    {
        public string Name => rw.Name;
        public IDistributedSynchronizationHandle? TryAcquire(TimeSpan timeout = default, CancellationToken cancellationToken = default) => rw.TryAcquireWriteLock(timeout, cancellationToken);
        public IDistributedSynchronizationHandle Acquire(TimeSpan? timeout = null, CancellationToken cancellationToken = default) => rw.AcquireWriteLock(timeout, cancellationToken);
        public ValueTask<IDistributedSynchronizationHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) => rw.TryAcquireWriteLockAsync(timeout, cancellationToken);
        public ValueTask<IDistributedSynchronizationHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) => rw.AcquireWriteLockAsync(timeout, cancellationToken);
    }
}
