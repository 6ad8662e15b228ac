namespace TestLocks.Fixtures;

/// <summary>
/// Holds a named cross-process lock from set-up until clean-up, like oslo's <c>LockFixture</c> that Tempest uses:
/// <c>UseFixture(new LockFixture("availability_zone"))</c>. Cleanups registered after it run while it is still held.
/// </summary>
public sealed class LockFixture : Fixture
{
    private readonly TestLock _lock;

    /// <summary>Creates the fixture.</summary>
    /// <param name="name">The lock name.</param>
    /// <param name="prefix">The lock file prefix; the configured lock_file_prefix when null.</param>
    /// <param name="mode">Write (exclusive, the default) or read (shared).</param>
    /// <param name="factory">The factory to take the lock from; <see cref="LockFactory.Default"/> when null.</param>
    public LockFixture(string name, string? prefix = null, LockMode mode = LockMode.Write, LockFactory? factory = null)
    {
        var f = factory ?? LockFactory.Default;
        var options = new LockOptions { Prefix = prefix };
        _lock = mode == LockMode.Write ? f.CreateLock(name, options) : f.CreateReaderWriterLock(name, options).ReadLock;
    }

    /// <summary>The lock's full name, prefix included.</summary>
    public string LockName => _lock.Name;

    /// <summary>The held lock, after set-up.</summary>
    public LockHandle? Handle { get; private set; }

    /// <inheritdoc />
    protected override async ValueTask OnSetUpAsync(CancellationToken cancellationToken)
    {
        Handle = await _lock.AcquireAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        AddCleanup(Handle.DisposeAsync);
    }
}
