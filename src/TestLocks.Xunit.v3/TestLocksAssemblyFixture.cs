using TestLocks.Adapters;
using TestLocks.Xunit.Gates;
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
/// A waiting test writes who holds the lock live to the controlling terminal (the one live channel of
/// <c>dotnet test</c> on Microsoft.Testing.Platform), to its output and as a diagnostic message, when the wait starts and
/// every warn_after; its output and the attachment "TestLocks.wait" then say how long it waited. The wait honours the
/// test's CancellationToken; a lock_timeout fails the test with <see cref="LockTimeoutException"/> before its constructor runs.
/// Under TestLocks' test framework with <c>[assembly: Parallelization(Mode = ParallelMode.All)]</c>, a test that xUnit gates
/// (one that does not disable parallelization) takes its locks once through that gate, still before its constructor runs.
/// A lock that a server backend loses while the test runs cancels the test's CancellationToken at once
/// (<see cref="ITestContext.CancelCurrentTest"/>), and the test fails with <see cref="LockLostException"/>.
/// </remarks>
public sealed class TestLocksAssemblyFixture : INotifyTestLifecycleAsync
{
    private static readonly Func<string?> s_currentTestId = () => TestContext.Current.Test?.UniqueID;

    /// <summary>Creates the fixture; xUnit does, once per test assembly.</summary>
    public TestLocksAssemblyFixture() => LockedTest.FindRunningTestBy(s_currentTestId);

    /// <inheritdoc />
    public async ValueTask OnTestStartingAsync(IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var context = TestContext.Current;
        // In ParallelMode.All xUnit's gate for the test comes after this hook: under TestLocks' framework the locks are
        // taken behind that gate, so that no lock is held while the test waits there (LocksAfterGate).
        if (LocksAfterGate.TryDefer(test, () => AcquireAsync(test, context))) return;
        await AcquireAsync(test, context).ConfigureAwait(false);
    }

    private static ValueTask AcquireAsync(IXunitTest test, ITestContext context) =>
        TestLocking.AcquireAsync(TestLocking.Start(test.TestMethod.Method, test.TestMethod.TestClass.Class, test.TestMethodArguments, test.UniqueID,
            test.TestDisplayName, new Channel(context)), context.CancellationToken);

    /// <inheritdoc />
    public ValueTask OnTestFinishedAsync(IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        LocksAfterGate.Forget(test);
        return TestLocking.ReleaseAsync(test.UniqueID);
    }

    /// <summary>Where xUnit v3 puts a test's lines: its output and a diagnostic message; the wait summary also as the
    /// result's attachment "TestLocks.wait" (reports that carry attachments, such as xUnit's XML and TRX reports, keep it as
    /// a named field). A lost lock cancels the test's CancellationToken at once.</summary>
    private sealed class Channel(ITestContext context) : TestChannel
    {
        private const string WaitAttachment = "TestLocks.wait";
        private readonly ITestOutputHelper? _output = context.TestOutputHelper;

        protected override void WriteLine(string line)
        {
            context.SendDiagnosticMessage(line);
            _output?.WriteLine(line); // throws once the test's output is closed (the notice raced the end of the wait)
        }

        protected override void WriteSummary(string summary)
        {
            context.SendDiagnosticMessage(summary);
            _output?.WriteLine(summary);
            context.AddAttachment(WaitAttachment, summary);
        }

        protected override void CancelTest() => context.CancelCurrentTest();
    }
}
