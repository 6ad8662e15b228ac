using TestLocks.Adapters;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestLocks.Xunit.Runners;

/// <summary>
/// xUnit v2 has no way to stop a running test, and reports its result before the runner's next hook (where the locks
/// were released) runs: a lock lost while the test ran went unreported and the test passed. Around a test case whose
/// locks a backend can lose, this releases them as the test's result goes out and, when one was lost, sends a pass as a
/// failure with the <see cref="LockLostException"/> that names the lock (and every later pass of the case too).
/// </summary>
internal sealed class LossFailsTest(IMessageBus inner, LockedTest test) : IMessageBus
{
    private Exception? _lost;

    /// <summary>Whether a backend can lose one of the locks <paramref name="test"/> holds (lock files cannot be lost).</summary>
    public static bool Applies(LockedTest test) => test.Handles.Any(h => h.HandleLostToken.CanBeCanceled);

    public bool QueueMessage(IMessageSinkMessage message)
    {
        if (message is not (ITestPassed or ITestFailed)) return inner.QueueMessage(message);
        var result = (ITestResultMessage)message;
        try
        {
            TestLocking.ReleaseAsync(test.Id).AsTask().GetAwaiter().GetResult(); // the class is disposed: the test is over
        }
        catch (LockLostException e)
        {
            _lost = e;
        }
        // A test that failed on its own keeps its own failure.
        return inner.QueueMessage(_lost is not null && message is ITestPassed ? new TestFailed(result.Test, result.ExecutionTime, result.Output, _lost) : message);
    }

    public void Dispose()
    {
        // The inner bus belongs to the runner that gave it.
    }
}
