using System.ComponentModel;
using NUnit.Framework;
using NUnit.Framework.Internal;
using TestLocks.Adapters;
using TestLocks.Fixtures;
using TestLocks.NUnit.Execution;

namespace TestLocks.NUnit;

/// <summary>
/// A base class for NUnit fixtures, in the manner of testtools' TestCase that Tempest builds on:
/// <list type="bullet">
/// <item><see cref="UseFixture{T}"/> and <see cref="AddCleanup(Action)"/> during a test (SetUp, the test, TearDown)
/// register cleanups that run last-in first-out after the fixture's own TearDown methods; every cleanup runs even when
/// some fail, and the failures are reported together as one TearDown error. Called during OneTimeSetUp, they run after
/// the fixture's OneTimeTearDown methods.</item>
/// <item>Locks declared on the class with <c>Scope = LockScope.Fixture</c> are held from before the first
/// OneTimeSetUp to after the last OneTimeTearDown (NUnit runs a base class's one-time set-up first and its tear-down
/// last).</item>
/// </list>
/// </summary>
/// <example>
/// <code>
/// [ExternalLock("availability_zone", Prefix = "tempest-")]
/// public class AggregatesTests : TestLocksFixture
/// {
///     [Test]
///     public void Aggregate_add_host_list()
///     {
///         var aggregate = cloud.CreateAggregate(name);
///         AddCleanup(() => cloud.DeleteAggregate(aggregate.Id));        // runs second
///         cloud.AddHost(aggregate.Id, host);
///         AddCleanup(() => cloud.RemoveHost(aggregate.Id, host));       // runs first
///         ...
///     }
/// }
/// </code>
/// </example>
/// <remarks>
/// The members are static so that they also work in static one-time set-up methods, which NUnit requires with
/// <c>FixtureLifeCycle(LifeCycle.InstancePerTestCase)</c>; they act on the test or fixture that is running.
/// </remarks>
public abstract class TestLocksFixture
{
    /// <summary>Registers <paramref name="cleanup"/> to run after TearDown (or, during OneTimeSetUp, after
    /// OneTimeTearDown), before every cleanup registered earlier.</summary>
    protected static void AddCleanup(Action cleanup) => CurrentScope().Cleanups.AddCleanup(cleanup);

    /// <summary>Registers an asynchronous <paramref name="cleanup"/> (see <see cref="AddCleanup(Action)"/>).</summary>
    protected static void AddCleanup(Func<ValueTask> cleanup) => CurrentScope().Cleanups.AddCleanup(cleanup);

    /// <summary>Sets <paramref name="fixture"/> up now and cleans it up with the test's (or the fixture's) cleanups,
    /// e.g. <c>UseFixture(new LockFixture("availability_zone", "tempest-"))</c>: cleanups registered after it run
    /// while it still holds its lock.</summary>
    protected static T UseFixture<T>(T fixture) where T : Fixture =>
        UseFixtureAsync(fixture, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>The asynchronous form of <see cref="UseFixture{T}"/>; the test's CancellationToken ([CancelAfter])
    /// applies when <paramref name="cancellationToken"/> is not given.</summary>
    protected static async ValueTask<T> UseFixtureAsync<T>(T fixture, CancellationToken cancellationToken = default) where T : Fixture
    {
        var context = TestExecutionContext.CurrentContext;
        using var owner = LockedTest.NameHolder(context.CurrentTest.FullName);
        var token = cancellationToken.CanBeCanceled ? cancellationToken : context.CancellationToken;
        return await Scopes.Of(context.CurrentTest).Cleanups.UseFixtureAsync(fixture, token).ConfigureAwait(false);
    }

    /// <summary>Takes the fixture-wide locks. NUnit calls it before the derived classes' OneTimeSetUp methods.</summary>
    [OneTimeSetUp]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void TestLocksOneTimeSetUp() => FixtureLocks.Enter(TestExecutionContext.CurrentContext);

    /// <summary>Runs the fixture's cleanups, then releases the fixture-wide locks. NUnit calls it after the derived
    /// classes' OneTimeTearDown methods.</summary>
    [OneTimeTearDown]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void TestLocksOneTimeTearDown() => FixtureLocks.Leave(TestExecutionContext.CurrentContext.CurrentTest);

    /// <summary>Runs the test's cleanups, last registered first. NUnit calls it after the derived classes' TearDown methods.</summary>
    [TearDown]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void TestLocksTearDown() => Scopes.Take(TestExecutionContext.CurrentContext.CurrentTest)?.Cleanups.CleanUp();

    private static Scopes.Scope CurrentScope() => Scopes.Of(TestExecutionContext.CurrentContext.CurrentTest);
}
