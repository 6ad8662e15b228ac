using TestLocks.Xunit.Gates;
using Xunit.Sdk;
using Xunit.v3;

namespace TestLocks.Xunit.Scheduling;

/// <summary>xUnit v3's executor, assembly runner and context, with the <see cref="LockAwareScheduler"/> in place of the
/// conservative one. The aggressive algorithm (a waiting test holds no thread there) and unlimited threads keep xUnit's.</summary>
internal sealed class LockAwareExecutor(IXunitTestAssembly testAssembly) : XunitTestFrameworkExecutor(testAssembly)
{
    public override async ValueTask RunTestCases(IReadOnlyCollection<IXunitTestCase> testCases, IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions, CancellationToken cancellationToken) =>
        await LockAwareAssemblyRunner.Instance.RunLockAware(TestAssembly, testCases, executionMessageSink, executionOptions, cancellationToken).ConfigureAwait(false);
}

internal sealed class LockAwareAssemblyRunner : XunitTestAssemblyRunner
{
    private LockAwareAssemblyRunner()
    {
    }

    public static new LockAwareAssemblyRunner Instance { get; } = new();

    public async ValueTask<RunSummary> RunLockAware(IXunitTestAssembly testAssembly, IReadOnlyCollection<IXunitTestCase> testCases,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions, CancellationToken cancellationToken)
    {
        var context = new LockAwareContext(testAssembly, testCases, executionMessageSink, executionOptions, cancellationToken);
        await using (context.ConfigureAwait(false))
        {
            await context.InitializeAsync().ConfigureAwait(false);
            return await Run(context).ConfigureAwait(false);
        }
    }
}

internal sealed class LockAwareContext(IXunitTestAssembly testAssembly, IReadOnlyCollection<IXunitTestCase> testCases,
    IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions, CancellationToken cancellationToken)
    : XunitTestAssemblyRunnerContext(testAssembly, testCases, executionMessageSink, executionOptions, cancellationToken)
{
    protected override ExecutionScheduler CreateScheduler() =>
        LocksAfterGate.Wrap(MaxParallelThreads >= 0 && ParallelAlgorithm == ParallelAlgorithm.Conservative
            ? new LockAwareScheduler(MaxParallelThreads)
            : base.CreateScheduler(), TestAssembly.UniqueID, ParallelMode);
}
