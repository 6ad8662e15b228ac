using TestLocks.Fixtures;
using TUnit.Core;

namespace TestLocks.TUnit;

/// <summary>
/// A test class base that gives testtools' <c>useFixture</c> and <c>addCleanup</c>: call <see cref="UseFixture{T}"/> and
/// <see cref="AddCleanup(Action)"/> in a [Before(Test)] hook or the test; after the class's own [After(Test)] hooks the
/// cleanups run last registered first, every one of them even when some fail, and the failures are reported together
/// as one <see cref="CleanupException"/>. They run inside the test's TestLocks locks, which are released after them.
/// </summary>
#pragma warning disable CA1001 // the cleanups run in an [After(Test)] hook, which TUnit calls after every test
public abstract class TestLocksTest
#pragma warning restore CA1001
{
    private readonly Cleanups _cleanups = new();

    /// <summary>Sets <paramref name="fixture"/> up now and cleans it up with the test's cleanups, in LIFO order.</summary>
    protected T UseFixture<T>(T fixture) where T : Fixture => _cleanups.UseFixture(fixture);

    /// <summary>The async form of <see cref="UseFixture{T}"/>.</summary>
    protected ValueTask<T> UseFixtureAsync<T>(T fixture, CancellationToken cancellationToken = default) where T : Fixture
        => _cleanups.UseFixtureAsync(fixture, cancellationToken);

    /// <summary>Registers <paramref name="cleanup"/> to run after the [After(Test)] hooks, before every cleanup registered earlier.</summary>
    protected void AddCleanup(Action cleanup) => _cleanups.AddCleanup(cleanup);

    /// <summary>Registers an async <paramref name="cleanup"/> (see <see cref="AddCleanup(Action)"/>).</summary>
    protected void AddCleanup(Func<ValueTask> cleanup) => _cleanups.AddCleanup(cleanup);

    /// <summary>Runs the cleanups, last registered first. TUnit calls it after the derived classes' [After(Test)] hooks.</summary>
    /// <exception cref="CleanupException">One or more cleanups failed; every cleanup still ran.</exception>
    [After(HookType.Test)]
    public Task TestLocksCleanUpAsync() => _cleanups.CleanUpAsync().AsTask();

    private sealed class Cleanups : Fixture;
}
