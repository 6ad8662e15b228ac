using System.Diagnostics;

namespace TestLocks.Threading;

/// <summary>Runs the shared acquire code synchronously: with <c>synchronous: true</c> it never awaits anything
/// incomplete, so its ValueTask is already complete here.</summary>
internal static class Sync
{
    public static T Wait<T>(ValueTask<T> task)
    {
        Debug.Assert(task.IsCompleted, "A synchronous acquire path awaited an incomplete task.");
        return task.IsCompleted ? task.GetAwaiter().GetResult() : task.AsTask().GetAwaiter().GetResult();
    }
}
