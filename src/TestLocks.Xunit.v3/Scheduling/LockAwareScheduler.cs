using TestLocks.Adapters;
using Xunit.v3;

namespace TestLocks.Xunit.Scheduling;

/// <summary>
/// xUnit v3's conservative scheduler (at most maxParallelThreads test collections run at once, each in its own slot),
/// except that a test waiting for a lock gives its slot back while it waits (<see cref="SlotPool"/>): the next collection
/// starts in it, and the waiting test takes a slot back at once when its wait ends, over the limit if none is free (the
/// pool then starts no collection until the overdraft is paid back), so a test holding a lock never waits for a slot.
/// Sequential tasks (collections with DisableParallelization) keep xUnit's own gate and never give anything back:
/// nothing else may run beside them.
/// </summary>
internal sealed class LockAwareScheduler : ExecutionScheduler
{
    private readonly ExecutionScheduler _gates = CreateUnlimited();
    private readonly int _maxParallelThreads;

    public LockAwareScheduler(int maxParallelThreads)
    {
        _maxParallelThreads = maxParallelThreads > 0 ? maxParallelThreads : Environment.ProcessorCount;
        Slots = new SlotPool(_maxParallelThreads);
        // As xUnit's conservative scheduler does: enough pool threads for the tests that block one.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var floor = Math.Max(4, _maxParallelThreads);
        if (workers < floor) ThreadPool.SetMinThreads(floor, completionPorts);
    }

    public SlotPool Slots { get; }

    public override async ValueTask<T> RunParallelTask<T>(Func<ValueTask<T>> taskFactory, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(taskFactory);
        var slot = await Slots.TakeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RunnerSlot.Current = slot; // flows into the collection's task, its tests and their lock waits
            return await _gates.RunParallelTask(taskFactory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slot.Release();
        }
    }

    public override async ValueTask<T> RunSequentialTask<T>(Func<ValueTask<T>> taskFactory, CancellationToken cancellationToken)
    {
        RunnerSlot.Current = null;
        return await _gates.RunSequentialTask(taskFactory, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _gates.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => $"TestLocks lock-aware conservative scheduler (max threads: {_maxParallelThreads})";
}
