namespace TestLocks.Fixtures;

/// <summary>
/// Gives the test its own lock_path (a new temporary directory unless one is given) and restores the previous one
/// at clean-up, like oslo's <c>ExternalLockFixture</c>. It swaps <see cref="LockFactory.Default"/>, which is
/// process-wide, as oslo swaps OSLO_LOCK_PATH: do not run tests that use it in parallel with tests that take locks.
/// </summary>
public sealed class LockPathFixture : Fixture
{
    private readonly string? _requested;

    /// <summary>Creates the fixture.</summary>
    /// <param name="lockPath">The lock_path to use; a new temporary directory (removed at clean-up) when null.</param>
    public LockPathFixture(string? lockPath = null) => _requested = lockPath;

    /// <summary>The lock_path in force while the fixture is set up.</summary>
    public string LockPath { get; private set; } = "";

    /// <inheritdoc />
    protected override ValueTask OnSetUpAsync(CancellationToken cancellationToken)
    {
        var previous = LockFactory.Default;
        LockPath = _requested ?? Directory.CreateTempSubdirectory("testlocks-").FullName;
        if (_requested is null) AddCleanup(() => Directory.Delete(LockPath, recursive: true));
        LockFactory.Default = new LockFactory(previous.Settings with { LockPath = LockPath, BackendUrl = null }, previous.LoggerFactory);
        AddCleanup(() => LockFactory.Default = previous);
        return ValueTask.CompletedTask;
    }
}
