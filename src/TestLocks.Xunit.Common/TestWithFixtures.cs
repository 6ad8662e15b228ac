using TestLocks.Fixtures;
using Xunit;

namespace TestLocks.Xunit;

/// <summary>
/// A test class base that gives testtools' <c>useFixture</c> and <c>addCleanup</c>: call <see cref="UseFixture{T}"/> and
/// <see cref="AddCleanup(Action)"/> in the constructor, in InitializeAsync or in the test; at disposal the cleanups run
/// last registered first, every one of them even when some fail, and the failures are reported together as one
/// <see cref="CleanupException"/>. A <see cref="LockFixture"/> used first is therefore held until every later cleanup ran.
/// </summary>
/// <example>
/// <code>
/// public sealed class AggregatesTests : TestWithFixtures
/// {
///     [Fact]
///     public void Add_host_list()
///     {
///         UseFixture(new LockFixture("availability_zone", "tempest-"));
///         var aggregate = cloud.CreateAggregate(name);
///         AddCleanup(() => cloud.DeleteAggregate(aggregate.Id));
///         ...
///     }
/// }
/// </code>
/// </example>
#pragma warning disable CA1001 // the cleanups run in DisposeAsync, which xUnit calls after every test
public abstract class TestWithFixtures : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly Cleanups _cleanups = new();

    /// <summary>Sets <paramref name="fixture"/> up now and cleans it up at disposal, in LIFO order with the other cleanups.</summary>
    protected T UseFixture<T>(T fixture) where T : Fixture => _cleanups.UseFixture(fixture);

    /// <summary>The async form of <see cref="UseFixture{T}"/>.</summary>
    protected ValueTask<T> UseFixtureAsync<T>(T fixture, CancellationToken cancellationToken = default) where T : Fixture
        => _cleanups.UseFixtureAsync(fixture, cancellationToken);

    /// <summary>Registers <paramref name="cleanup"/> to run at disposal, before every cleanup registered earlier.</summary>
    protected void AddCleanup(Action cleanup) => _cleanups.AddCleanup(cleanup);

    /// <summary>Registers an async <paramref name="cleanup"/> to run at disposal, before every cleanup registered earlier.</summary>
    protected void AddCleanup(Func<ValueTask> cleanup) => _cleanups.AddCleanup(cleanup);

#if XUNIT_V3
    /// <summary>Runs after the constructor; override it to set up asynchronously (UseFixtureAsync, AddCleanup).</summary>
    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Runs the cleanups, last registered first. Overrides should call it last.</summary>
    /// <exception cref="CleanupException">One or more cleanups failed; every cleanup still ran.</exception>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _cleanups.CleanUpAsync();
    }
#else
    /// <summary>Runs after the constructor; override it to set up asynchronously (UseFixtureAsync, AddCleanup).</summary>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Runs the cleanups, last registered first. Overrides should call it last.</summary>
    /// <exception cref="CleanupException">One or more cleanups failed; every cleanup still ran.</exception>
    public virtual Task DisposeAsync() => _cleanups.CleanUpAsync().AsTask();
#endif

    private sealed class Cleanups : Fixture;
}
