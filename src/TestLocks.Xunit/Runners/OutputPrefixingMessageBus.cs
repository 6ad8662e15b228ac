using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestLocks.Xunit.Runners;

/// <summary>Passes every message on, putting <paramref name="prefix"/> (the wait notices) at the top of each test result's output.</summary>
internal sealed class OutputPrefixingMessageBus(IMessageBus inner, string prefix) : IMessageBus
{
    public bool QueueMessage(IMessageSinkMessage message) => inner.QueueMessage(message switch
    {
        ITestPassed m => new TestPassed(m.Test, m.ExecutionTime, prefix + m.Output),
        ITestFailed m => new TestFailed(m.Test, m.ExecutionTime, prefix + m.Output, m.ExceptionTypes, m.Messages, m.StackTraces, m.ExceptionParentIndices),
        _ => message,
    });

    public void Dispose()
    {
        // The inner bus belongs to the runner that gave it.
    }
}
