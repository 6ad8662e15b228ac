using TestLocks.Backends;

[assembly: LockBackendProvider("postgresql", typeof(TestLocks.Postgres.PostgresBackendProvider))]
[assembly: LockBackendProvider("postgres", typeof(TestLocks.Postgres.PostgresBackendProvider))]

namespace TestLocks.Postgres;

/// <summary>
/// Makes the PostgreSQL backend for <c>backend_url = postgresql://user:pass@host:5432/db?connect_timeout=5</c>
/// (or <c>postgres://</c>). Core finds this type through the assembly's <see cref="LockBackendProviderAttribute"/> when the package is referenced; nothing to register.
/// </summary>
/// <remarks>
/// Locks are PostgreSQL advisory locks, session-scoped, on the 64-bit key DistributedLock.Postgres derives from the
/// name: exclusive locks are <c>pg_advisory_lock</c>, read locks <c>pg_advisory_lock_shared</c>: every lock taken
/// without waiting on one holding session of the process, every lock waited for on a session of its own; their
/// statements carry the holder records for waiters. A write lock's statement also draws its fencing token
/// (<c>txid_current()</c>, after the lock is granted), which the session shows in its application_name. A holder that dies loses its connection and so its
/// locks at once. Query options (docs/backends.md has the details):
/// <c>connect_timeout</c> (seconds to connect and log in before failing, default 5), <c>keepalive</c> (seconds of
/// silence before TCP keepalive probes a connection that holds locks, on the client and, set per session, on the server,
/// which so frees a silent holder's locks within keepalive + 3 s; default 10), <c>sslmode</c> (libpq's values,
/// default prefer). Connections show <c>application_name = "testlocks pid N on HOST"</c> in pg_stat_activity.
/// </remarks>
public sealed class PostgresBackendProvider : ILockBackendProvider
{
    /// <inheritdoc />
    public LockBackend Create(Uri backendUrl, TestLocksSettings settings)
    {
        ArgumentNullException.ThrowIfNull(backendUrl);
        ArgumentNullException.ThrowIfNull(settings);
        return new PostgresLockBackend(PostgresOptions.Parse(backendUrl, settings));
    }
}
