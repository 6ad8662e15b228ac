using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.Fixtures;

/// <summary>
/// Leases one free member of a resource pool from set-up until clean-up, the fixture form of <c>[Lease("database")]</c>:
/// <c>var db = UseFixture(new LeaseFixture("database")).Member;</c> gives "db2" while no other holder (test, fixture or
/// process) has db2. Cleanups registered after it run while the member is still held. Inside a running TestLocks test,
/// <see cref="Lease.Current"/> reads the member too, until clean-up.
/// </summary>
/// <example>
/// <code>
/// var database = UseFixture(new LeaseFixture("database")); // [testlocks.pools] database = db1, db2, db3, db4
/// Migrate(database.Member);
/// </code>
/// </example>
public sealed class LeaseFixture : Fixture
{
    private readonly CountedLock _pool;
    private readonly string _asked;

    /// <summary>Leases a member of the pool <paramref name="pool"/> that the INI file's <c>[testlocks.pools]</c> section declares.</summary>
    /// <param name="pool">The pool's name.</param>
    /// <param name="prefix">The lock file prefix of the members' locks; the configured lock_file_prefix when null.</param>
    /// <param name="factory">The factory to take the lease from; <see cref="LockFactory.Default"/> when null.</param>
    /// <exception cref="TestLocksConfigurationException">No such pool is configured; the message lists the pools there are.</exception>
    public LeaseFixture(string pool, string? prefix = null, LockFactory? factory = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _asked = pool;
        _pool = (factory ?? LockFactory.Default).CreatePool(pool, new LockOptions { Prefix = prefix });
    }

    /// <summary>Leases one of <paramref name="members"/>, a pool given in code.</summary>
    /// <param name="pool">The pool's name.</param>
    /// <param name="members">The pool's members, for example db1, db2, db3; every holder must give the same.</param>
    /// <param name="prefix">The lock file prefix of the members' locks; the configured lock_file_prefix when null.</param>
    /// <param name="factory">The factory to take the lease from; <see cref="LockFactory.Default"/> when null.</param>
    public LeaseFixture(string pool, IReadOnlyList<string> members, string? prefix = null, LockFactory? factory = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _asked = pool;
        _pool = (factory ?? LockFactory.Default).CreatePool(pool, members, new LockOptions { Prefix = prefix });
    }

    /// <summary>The pool's full name, prefix included.</summary>
    public string PoolName => _pool.Name;

    /// <summary>The held lease (its member, slot and lock), after set-up; null before, and after clean-up.</summary>
    public CountedLockHandle? Handle { get; private set; }

    /// <summary>The member held, for example "db2".</summary>
    /// <exception cref="TestLocksException">The fixture is not set up, or was cleaned up: use it through UseFixture, or call SetUpAsync first.</exception>
    public string Member => Handle?.Member ?? throw new TestLocksException(
        $"LeaseFixture(\"{_asked}\").Member was read while the fixture holds no member. Read it after set-up and before clean-up: " +
        "use the fixture through UseFixture (or UseFixtureAsync), or call SetUpAsync first.");

    /// <inheritdoc />
    protected override async ValueTask OnSetUpAsync(CancellationToken cancellationToken)
    {
        var handle = await _pool.AcquireAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        Handle = handle;
        AddCleanup(async () =>
        {
            Handle = null;
            await handle.DisposeAsync().ConfigureAwait(false);
        });
        if (CurrentTest.Id is { } testId)
        {
            var lease = new Dictionary<string, string>(StringComparer.Ordinal) { [_asked] = handle.Member! };
            Lease.Register(testId, lease);
            AddCleanup(() =>
            {
                Lease.Unregister(testId, lease);
                return ValueTask.CompletedTask;
            });
        }
    }
}
