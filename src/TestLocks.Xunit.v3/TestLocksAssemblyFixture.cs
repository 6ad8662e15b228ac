using TestLocks.Testing;
using Xunit;
using Xunit.v3;

namespace TestLocks.Xunit;

/// <summary>
/// TestLocks' xUnit v3 hook: an assembly fixture that takes each test's locks before its constructor runs
/// (<see cref="INotifyTestLifecycleAsync.OnTestStartingAsync"/>) and releases them after its disposal
/// (<see cref="INotifyTestLifecycleAsync.OnTestFinishedAsync"/>), per test and per theory row. The package registers it
/// in C# test projects with <c>[assembly: AssemblyFixture(typeof(TestLocksAssemblyFixture))]</c>.
/// </summary>
/// <remarks>
/// A waiting test writes who holds the lock to its output (and as a diagnostic message). The wait honours the test's
/// CancellationToken; a lock_timeout fails the test with <see cref="LockTimeoutException"/> before its constructor runs.
/// </remarks>
public sealed class TestLocksAssemblyFixture : INotifyTestLifecycleAsync
{
    private static readonly Func<string?> s_currentTestId = () => TestContext.Current.Test?.UniqueID;

    /// <summary>Creates the fixture; xUnit does, once per test assembly.</summary>
    public TestLocksAssemblyFixture() => CurrentTest.AddSource(s_currentTestId);

    /// <inheritdoc />
    public async ValueTask OnTestStartingAsync(IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var context = TestContext.Current;
        var output = context.TestOutputHelper;
        await TestLocking.AcquireAsync(test.TestMethod.Method, test.TestMethod.TestClass.Class, test.TestMethodArguments, test.UniqueID, test.TestDisplayName,
            line => Report(context, output, line), context.CancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask OnTestFinishedAsync(IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        return TestLocking.ReleaseAsync(test.UniqueID);
    }

    private static void Report(ITestContext context, ITestOutputHelper? output, string line)
    {
        try
        {
            output?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test's output is closed (the notice raced the end of the wait): the diagnostic message still carries it.
        }
        context.SendDiagnosticMessage(line);
    }
}
