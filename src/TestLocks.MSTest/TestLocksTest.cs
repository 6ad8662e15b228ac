using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestLocks.Fixtures;

namespace TestLocks.MSTest;

/// <summary>
/// A test class base that gives testtools' <c>useFixture</c> and <c>addCleanup</c>: call <see cref="UseFixture{T}"/> and
/// <see cref="AddCleanup(Action)"/> in the constructor, TestInitialize or the test; after the class's own TestCleanup
/// methods the cleanups run last registered first, every one of them even when some fail, and the failures are reported
/// together as one <see cref="CleanupException"/>. A <see cref="LockFixture"/> used first is therefore held until every
/// later cleanup ran.
/// </summary>
/// <example>
/// <code>
/// [TestClass]
/// public sealed class AggregatesTests : TestLocksTest
/// {
///     [TestMethod]
///     public void Add_host_list()
///     {
///         UseFixture(new LockFixture("availability_zone", "tempest-"));
///         var aggregate = cloud.CreateAggregate(name);
///         AddCleanup(() =&gt; cloud.DeleteAggregate(aggregate.Id));
///     }
/// }
/// </code>
/// </example>
#pragma warning disable CA1001 // the cleanups run in TestCleanup, which MSTest calls after every test
public abstract class TestLocksTest
#pragma warning restore CA1001
{
    private readonly Cleanups _cleanups = new();

    /// <summary>Sets <paramref name="fixture"/> up now and cleans it up with the test's cleanups, in LIFO order.</summary>
    protected T UseFixture<T>(T fixture) where T : Fixture => _cleanups.UseFixture(fixture);

    /// <summary>The async form of <see cref="UseFixture{T}"/>.</summary>
    protected ValueTask<T> UseFixtureAsync<T>(T fixture, CancellationToken cancellationToken = default) where T : Fixture
        => _cleanups.UseFixtureAsync(fixture, cancellationToken);

    /// <summary>Registers <paramref name="cleanup"/> to run after TestCleanup, before every cleanup registered earlier.</summary>
    protected void AddCleanup(Action cleanup) => _cleanups.AddCleanup(cleanup);

    /// <summary>Registers an async <paramref name="cleanup"/> to run after TestCleanup, before every cleanup registered earlier.</summary>
    protected void AddCleanup(Func<ValueTask> cleanup) => _cleanups.AddCleanup(cleanup);

    /// <summary>Runs the cleanups, last registered first. MSTest calls it after the derived classes' TestCleanup methods.</summary>
    /// <exception cref="CleanupException">One or more cleanups failed; every cleanup still ran.</exception>
    [TestCleanup]
    public Task TestLocksCleanUpAsync() => _cleanups.CleanUpAsync().AsTask();

    private sealed class Cleanups : Fixture;
}
