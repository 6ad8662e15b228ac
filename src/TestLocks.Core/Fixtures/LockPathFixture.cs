namespace TestLocks.Fixtures;

/// <summary>
/// Gives the test its own lock_path (a new temporary directory unless one is given), like oslo's
/// <c>ExternalLockFixture</c>, and a <see cref="Factory"/> whose locks live there: pass it where locks are made
/// (<c>new LockFixture(name, factory: fixture.Factory)</c>, <c>fixture.Factory.CreateLock(name)</c>) or pass
/// <see cref="LockPath"/> to <see cref="Oslo.Lockutils"/> (<c>lockPath:</c>). Nothing process-wide changes, so tests that use
/// it may run in parallel with any others.
/// </summary>
public sealed class LockPathFixture : Fixture
{
    private readonly string? _requested;
    private LockFactory? _factory;

    /// <summary>Creates the fixture.</summary>
    /// <param name="lockPath">The lock_path to use; a new temporary directory (removed at clean-up) when null.</param>
    public LockPathFixture(string? lockPath = null) => _requested = lockPath;

    /// <summary>The lock_path in force while the fixture is set up.</summary>
    public string LockPath { get; private set; } = "";

    /// <summary>A factory with <see cref="LockFactory.Default"/>'s settings and logger but lock files in <see cref="LockPath"/>
    /// (and no server backend).</summary>
    /// <exception cref="InvalidOperationException">The fixture is not set up.</exception>
    public LockFactory Factory => _factory ?? throw new InvalidOperationException("LockPathFixture.Factory is made by SetUp/SetUpAsync (or UseFixture); set the fixture up first.");

    /// <inheritdoc />
    protected override ValueTask OnSetUpAsync(CancellationToken cancellationToken)
    {
        var defaults = LockFactory.Default;
        LockPath = _requested ?? Directory.CreateTempSubdirectory("testlocks-").FullName;
        if (_requested is null) AddCleanup(() => Directory.Delete(LockPath, recursive: true));
        _factory = new LockFactory(defaults.Settings with { LockPath = LockPath, BackendUrl = null }, defaults.LoggerFactory);
        return ValueTask.CompletedTask;
    }
}
