namespace TestLocks.Fixtures;

/// <summary>
/// A reusable piece of test setup with its own cleanups, as in Python's testtools/fixtures: <see cref="SetUpAsync"/>
/// runs <see cref="OnSetUpAsync"/>, which may <see cref="AddCleanup(Func{ValueTask})"/> and <see cref="UseFixture{T}"/>;
/// <see cref="CleanUpAsync"/> runs every cleanup last-in, first-out, all of them even when some fail, and reports the
/// failures together in one <see cref="CleanupException"/>.
/// </summary>
/// <example>
/// <code>
/// public sealed class AggregateFixture(Cloud cloud) : Fixture
/// {
///     public Aggregate Aggregate { get; private set; } = null!;
///     protected override async ValueTask OnSetUpAsync(CancellationToken ct)
///     {
///         await UseFixtureAsync(new LockFixture("availability_zone"), ct); // held until this fixture's cleanup ends
///         Aggregate = await cloud.CreateAggregateAsync(ct);
///         AddCleanup(() => cloud.DeleteAggregateAsync(Aggregate));         // runs before the lock is released
///     }
/// }
/// </code>
/// </example>
public abstract class Fixture : IAsyncDisposable, IDisposable
{
    private readonly object _gate = new();
    private readonly List<Func<ValueTask>> _cleanups = [];

    /// <summary>Sets the fixture up. If set-up fails, the cleanups it registered so far run before the error is rethrown.</summary>
    public async ValueTask SetUpAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await OnSetUpAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception setUpError)
        {
            try
            {
                await CleanUpAsync().ConfigureAwait(false);
            }
            catch (CleanupException cleanupError)
            {
                throw new CleanupException([setUpError, .. cleanupError.InnerExceptions]);
            }
            throw;
        }
    }

    /// <summary>The blocking form of <see cref="SetUpAsync"/>.</summary>
    public void SetUp() => SetUpAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>What the fixture does on set-up. The default does nothing.</summary>
    protected virtual ValueTask OnSetUpAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Registers <paramref name="cleanup"/> to run at clean-up, before every cleanup registered earlier.</summary>
    public void AddCleanup(Func<ValueTask> cleanup)
    {
        ArgumentNullException.ThrowIfNull(cleanup);
        lock (_gate) _cleanups.Add(cleanup);
    }

    /// <summary>Registers a synchronous <paramref name="cleanup"/>.</summary>
    public void AddCleanup(Action cleanup)
    {
        ArgumentNullException.ThrowIfNull(cleanup);
        AddCleanup(() =>
        {
            cleanup();
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Sets <paramref name="fixture"/> up now and cleans it up with this fixture (nested, in LIFO order).</summary>
    public async ValueTask<T> UseFixtureAsync<T>(T fixture, CancellationToken cancellationToken = default) where T : Fixture
    {
        ArgumentNullException.ThrowIfNull(fixture);
        await fixture.SetUpAsync(cancellationToken).ConfigureAwait(false);
        AddCleanup(fixture.CleanUpAsync);
        return fixture;
    }

    /// <summary>The blocking form of <see cref="UseFixtureAsync{T}"/>.</summary>
    public T UseFixture<T>(T fixture) where T : Fixture => UseFixtureAsync(fixture).AsTask().GetAwaiter().GetResult();

    /// <summary>Runs every cleanup, last registered first. Each runs even when an earlier one failed; the failures are
    /// thrown together as one <see cref="CleanupException"/>. Cleanups run once: a second call does nothing.</summary>
    public async ValueTask CleanUpAsync()
    {
        List<Exception>? errors = null;
        while (true)
        {
            Func<ValueTask> next;
            lock (_gate)
            {
                if (_cleanups.Count == 0) break;
                next = _cleanups[^1];
                _cleanups.RemoveAt(_cleanups.Count - 1);
            }
            try
            {
                await next().ConfigureAwait(false);
            }
            catch (CleanupException nested)
            {
                (errors ??= []).AddRange(nested.InnerExceptions);
            }
            catch (Exception e)
            {
                (errors ??= []).Add(e);
            }
        }
        if (errors is not null) throw new CleanupException(errors);
    }

    /// <summary>The blocking form of <see cref="CleanUpAsync"/>.</summary>
    public void CleanUp() => CleanUpAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Cleans up (see <see cref="CleanUpAsync"/>).</summary>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return CleanUpAsync();
    }

    /// <summary>Cleans up (see <see cref="CleanUp"/>).</summary>
    public void Dispose()
    {
        GC.SuppressFinalize(this);
        CleanUp();
    }
}
