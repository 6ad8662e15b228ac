using System.Collections.Concurrent;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

namespace TestLocks.Xunit.Gates;

/// <summary>
/// The scheduler of one test run under TestLocks' test framework, around the scheduler that limits it: with
/// <c>[assembly: Parallelization(Mode = ParallelMode.All)]</c> xUnit enters its gate for each test (parallel tests in,
/// while no test with DisableParallelization runs) only after the test's lifecycle hooks, where
/// <see cref="TestLocksAssemblyFixture"/> takes the test's locks. A test holding a lock while it waits at that gate, behind
/// a sequential test that waits for the same lock, would wait for ever; so in that mode the fixture leaves the locks of a
/// test that goes through the gate to this scheduler (<see cref="TryDefer"/>), which takes them once the test is through
/// the gate, before its class is constructed. A TestLocks lock is then never held while waiting for xUnit's gate.
/// </summary>
internal sealed class LocksAfterGate : ExecutionScheduler
{
    /// <summary>The runs under way in this process, by the UniqueID of their test assembly.</summary>
    private static readonly ConcurrentDictionary<string, LocksAfterGate> s_runs = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, Func<ValueTask>> _pending = new(StringComparer.Ordinal);
    private readonly ExecutionScheduler _inner;
    private readonly string _assemblyId;

    private LocksAfterGate(ExecutionScheduler inner, string assemblyId)
    {
        _inner = inner;
        _assemblyId = assemblyId;
    }

    /// <summary>The scheduler for a run of the test assembly <paramref name="assemblyId"/> in <paramref name="mode"/>:
    /// <paramref name="inner"/> itself unless xUnit gates each test (ParallelMode.All).</summary>
    public static ExecutionScheduler Wrap(ExecutionScheduler inner, string assemblyId, ParallelMode mode)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (mode != ParallelMode.All) return inner;
        var run = new LocksAfterGate(inner, assemblyId);
        s_runs[assemblyId] = run;
        return run;
    }

    /// <summary>Leaves <paramref name="acquire"/>, which takes the locks of <paramref name="test"/>, to be run once the
    /// test is through xUnit's gate; false (nothing is left) when the test meets no gate after its lifecycle hooks: its
    /// run is not under TestLocks' framework in ParallelMode.All, or the test or one of its levels disables parallelization
    /// (it then runs inside xUnit's sequential gate already).</summary>
    public static bool TryDefer(IXunitTest test, Func<ValueTask> acquire)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (!s_runs.TryGetValue(test.TestCase.TestCollection.TestAssembly.UniqueID, out var run) || !MeetsGate(test)) return false;
        run._pending[test.UniqueID] = acquire;
        return true;
    }

    /// <summary>Drops what <see cref="TryDefer"/> left for <paramref name="test"/> if the test never came through the
    /// gate (it failed or was cancelled before).</summary>
    public static void Forget(IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (s_runs.TryGetValue(test.TestCase.TestCollection.TestAssembly.UniqueID, out var run)) run._pending.TryRemove(test.UniqueID, out _);
    }

    /// <summary>Whether xUnit runs <paramref name="test"/> through <see cref="RunParallelTask{T}"/> in ParallelMode.All:
    /// as xUnit's runner contexts decide, a level that disables parallelization runs everything below it in sequence.</summary>
    private static bool MeetsGate(IXunitTest test) =>
        !test.DisableParallelization
        && !test.TestCase.DisableParallelization
        && !test.TestMethod.DisableParallelization
        && !test.TestMethod.TestClass.DisableParallelization
        && !test.TestCase.TestCollection.DisableParallelization;

    public override ValueTask<T> RunParallelTask<T>(Func<ValueTask<T>> taskFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskFactory);
        if (TestContext.Current.Test?.UniqueID is not { } testId || !_pending.TryRemove(testId, out var acquire))
        {
            return _inner.RunParallelTask(taskFactory, cancellationToken);
        }
        return _inner.RunParallelTask(async () =>
        {
            // Through the gate: take the locks here, then run the test as xUnit would have. A failure (lock_timeout,
            // cancellation) fails the test before its class is constructed, as it does from the fixture. The continuation
            // stays on the scheduler's synchronization context (the aggressive algorithm's limit).
            await acquire().ConfigureAwait(true);
            return await taskFactory().ConfigureAwait(true);
        }, cancellationToken);
    }

    public override ValueTask<T> RunSequentialTask<T>(Func<ValueTask<T>> taskFactory, CancellationToken cancellationToken) =>
        _inner.RunSequentialTask(taskFactory, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        s_runs.TryRemove(new KeyValuePair<string, LocksAfterGate>(_assemblyId, this));
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => $"{_inner} (TestLocks takes each test's locks after xUnit's gate)";
}
