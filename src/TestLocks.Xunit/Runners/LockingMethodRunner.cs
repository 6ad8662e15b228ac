using TestLocks.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestLocks.Xunit.Runners;

/// <summary>
/// The test method runner that wraps each test case (each theory row when rows are enumerated at discovery) in its
/// locks: taken before the test class is constructed, released after it is disposed, also when a phase throws. A lock
/// that cannot be taken fails the case's tests with the error, without constructing anything.
/// </summary>
internal sealed class LockingMethodRunner : XunitTestMethodRunner
{
    private readonly IMessageSink _diagnosticMessageSink;
    private readonly object[] _constructorArguments;

    public LockingMethodRunner(ITestMethod testMethod, IReflectionTypeInfo @class, IReflectionMethodInfo method,
        IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink, IMessageBus messageBus, ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource, object[] constructorArguments)
        : base(testMethod, @class, method, testCases, diagnosticMessageSink, messageBus, aggregator, cancellationTokenSource, constructorArguments)
    {
        _diagnosticMessageSink = diagnosticMessageSink;
        _constructorArguments = constructorArguments;
    }

    protected override async Task<RunSummary> RunTestCaseAsync(IXunitTestCase testCase)
    {
        if (!string.IsNullOrEmpty(testCase.SkipReason)) return await base.RunTestCaseAsync(testCase).ConfigureAwait(false);

        var notices = new WaitNotices(_diagnosticMessageSink);
        // Started in this flow, which runs the test class's constructor, the test and Dispose: the test's locks are its own there.
        var test = TestLocking.Start(Method.MethodInfo, Class.Type, testCase.TestMethodArguments, testCase.UniqueID, testCase.DisplayName, notices);
        var caseAggregator = new ExceptionAggregator(Aggregator);
        var locked = false;
        try
        {
            await TestLocking.AcquireAsync(test, CancellationTokenSource.Token).ConfigureAwait(false);
            locked = true;
        }
        catch (Exception e) when (e is TestLocksException or OperationCanceledException or ArgumentException)
        {
            caseAggregator.Add(e); // every test of the case fails with it, and nothing of the class runs
        }

        try
        {
            var bus = notices.IsEmpty ? MessageBus : new OutputPrefixingMessageBus(MessageBus, notices.Text);
            if (locked && LossFailsTest.Applies(test)) bus = new LossFailsTest(bus, test);
            return await (LockingTestCaseRunner.Runs(testCase)
                ? new LockingTestCaseRunner(testCase, bus, _constructorArguments, caseAggregator, CancellationTokenSource).RunAsync()
                : testCase.RunAsync(_diagnosticMessageSink, bus, _constructorArguments, caseAggregator, CancellationTokenSource)).ConfigureAwait(false);
        }
        finally
        {
            if (locked) await Aggregator.RunAsync(() => TestLocking.ReleaseAsync(testCase.UniqueID).AsTask()).ConfigureAwait(false);
            else await test.DisposeAsync().ConfigureAwait(false);
        }
    }
}
