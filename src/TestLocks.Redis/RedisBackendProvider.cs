using TestLocks.Backends;

[assembly: LockBackendProvider("redis", typeof(TestLocks.Redis.RedisBackendProvider))]

namespace TestLocks.Redis;

/// <summary>
/// Makes the Redis backend for <c>backend_url = redis://[user][:password@]host:6379?lock_timeout=30</c> (tooz's form).
/// Core finds this type through the assembly's <see cref="LockBackendProviderAttribute"/> when the package is referenced; nothing to register.
/// </summary>
/// <remarks>
/// Locks are RedLock leases on one server in DistributedLock.Redis's reader/writer lock keys and scripts (its programs
/// share them): <c>NAME.writer</c> and <c>NAME.readers</c> with a lease that the holder renews in the background, plus
/// <c>NAME.holder</c>, a JSON record of the last holder, since when and its fencing token (kept a day), <c>NAME.fence</c>,
/// the last fencing token given, and <c>NAME.queue</c> and <c>NAME.waiters</c>, the waiting writers in arrival order.
/// A release publishes the first waiting writer's id on its process's channel <c>NAME.released.HOST_PID_</c>, which
/// wakes that writer at once and no other waiting process, and on <c>NAME.released</c>, which wakes waiting readers. A holder that dies keeps the lock until its lease runs out; its waiters wake when it does. A server grants no
/// lock within one lease of its (re)start (the key <c>testlocks:epoch</c>), since it may have forgotten locks held before. Query options (docs/backends.md has the details): <c>db</c> (database number, default 0),
/// <c>lock_timeout</c> (tooz's name for the lease in seconds, default 30; not how long an acquire waits),
/// <c>socket_timeout</c> (seconds to connect or get an answer before failing, default 5), <c>ssl</c> (default false),
/// <c>busy_wait</c> (most seconds between two tries while waiting when no release message comes, default 1).
/// </remarks>
public sealed class RedisBackendProvider : ILockBackendProvider
{
    /// <inheritdoc />
    public LockBackend Create(Uri backendUrl, TestLocksSettings settings)
    {
        ArgumentNullException.ThrowIfNull(backendUrl);
        ArgumentNullException.ThrowIfNull(settings);
        return new RedisLockBackend(RedisOptions.Parse(backendUrl, settings));
    }
}
