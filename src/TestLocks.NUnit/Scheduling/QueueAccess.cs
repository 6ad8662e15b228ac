using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework.Internal.Execution;

namespace TestLocks.NUnit.Scheduling;

/// <summary>
/// Takes the next item of an NUnit parallel queue without blocking, as NUnit's own <see cref="WorkItemQueue.Dequeue"/>
/// does inside its loop (the same compare-and-swap on the queue's counters), so that a <see cref="StandIn"/> never sits in
/// <c>Dequeue</c> once it may take nothing more, and never dequeues an item it then has to put back. This reads NUnit's
/// internals (4.6.1 to 5.x); <see cref="Problem"/> says, before any stand-in starts, when this NUnit's differ.
/// </summary>
internal static class QueueAccess
{
    private static readonly (string Name, Type Type)[] s_fields =
    [
        ("_addId", typeof(int)),
        ("_removeId", typeof(int)),
        ("_itemsProcessed", typeof(int)),
        ("_innerQueues", typeof(ConcurrentQueue<WorkItem>[])),
        ("_mreAdd", typeof(ManualResetEventSlim)),
    ];

    private static readonly Lazy<string?> s_problem = new(() => ProblemWith(typeof(WorkItemQueue)));

    /// <summary>What this NUnit's work queue lacks for stand-ins, as a message that says what to do; null when it has it all.</summary>
    public static string? Problem => s_problem.Value;

    /// <summary>The check behind <see cref="Problem"/>, for any type that should be NUnit's <see cref="WorkItemQueue"/>.</summary>
    internal static string? ProblemWith(Type queueType)
    {
        var missing = s_fields
            .Where(f => queueType.GetField(f.Name, BindingFlags.Instance | BindingFlags.NonPublic)?.FieldType != f.Type)
            .Select(f => $"{f.Type.Name} {f.Name}")
            .ToList();
        if (missing.Count == 0) return null;
        var assembly = queueType.Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString();
        return $"TestLocks.NUnit cannot lend the worker of a test that waits for a lock on {assembly.GetName().Name} {version}: its "
            + $"{queueType.FullName} differs from the NUnit versions TestLocks supports (4.6.1 to 5.x; missing: {string.Join(", ", missing)}). "
            + "Use a supported NUnit version, or run without NUnit parallelism ([assembly: LevelOfParallelism] or NumberOfTestWorkers 0), "
            + "and report the NUnit version to TestLocks.";
    }

    /// <summary>The outcome of one <see cref="TryTake"/>.</summary>
    public enum Take
    {
        Item,
        Empty,
        Stopped,
    }

    /// <summary>Takes the next item if the queue runs and has one; never waits for one.</summary>
    public static Take TryTake(WorkItemQueue queue, out WorkItem? item)
    {
        item = null;
        while (true)
        {
            var state = queue.State;
            if (state == WorkItemQueueState.Stopped) return Take.Stopped;
            var removeId = Volatile.Read(ref RemoveId(queue));
            var addId = Volatile.Read(ref AddId(queue));
            if (removeId == addId || state == WorkItemQueueState.Paused) return Take.Empty;
            if (Interlocked.CompareExchange(ref RemoveId(queue), removeId + 1, removeId) != removeId) continue;

            // Ours now; as in NUnit, the enqueuer may not have stored it yet.
            var spin = default(SpinWait);
            while (true)
            {
                foreach (var inner in InnerQueues(queue))
                {
                    if (inner.TryDequeue(out item))
                    {
                        Interlocked.Increment(ref ItemsProcessed(queue));
                        return Take.Item;
                    }
                }
                spin.SpinOnce();
            }
        }
    }

    /// <summary>The event NUnit sets when it adds an item or starts or stops the queue.</summary>
    public static ManualResetEventSlim Added(WorkItemQueue queue) => AddEvent(queue);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_addId")]
    private static extern ref int AddId(WorkItemQueue queue);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_removeId")]
    private static extern ref int RemoveId(WorkItemQueue queue);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_itemsProcessed")]
    private static extern ref int ItemsProcessed(WorkItemQueue queue);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_innerQueues")]
    private static extern ref ConcurrentQueue<WorkItem>[] InnerQueues(WorkItemQueue queue);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_mreAdd")]
    private static extern ref ManualResetEventSlim AddEvent(WorkItemQueue queue);
}
