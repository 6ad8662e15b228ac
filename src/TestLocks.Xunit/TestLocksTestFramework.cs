using System.Reflection;
using TestLocks.Xunit.Runners;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestLocks.Xunit;

/// <summary>
/// TestLocks' xUnit v2 hook: the standard xUnit test framework whose test method runner takes each test case's locks
/// before its constructor runs and releases them after its Dispose, so constructor, InitializeAsync, the test,
/// DisposeAsync and Dispose all run inside them. The package registers it in C# test projects with
/// <c>[assembly: TestFramework("TestLocks.Xunit.TestLocksTestFramework", "TestLocks.Xunit")]</c>; a project with a test
/// framework of its own derives that one from this class.
/// </summary>
/// <remarks>
/// A waiting test is shown live when the wait starts and every warn_after (on the test host's standard output, which
/// <c>dotnet test</c> on a project prints at once, else on the controlling terminal), and has its wait notices and
/// how long it waited written at the top of its output (and sent as diagnostic messages). xUnit v2 has no per-test
/// cancellation token: the wait stops when the run is cancelled. A lock_timeout fails the test with
/// <see cref="LockTimeoutException"/> before its constructor runs.
/// </remarks>
public class TestLocksTestFramework : XunitTestFramework
{
    /// <summary>Creates the framework; xUnit does, with its diagnostic message sink.</summary>
    public TestLocksTestFramework(IMessageSink messageSink) : base(messageSink) { }

    /// <inheritdoc />
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName)
        => new LockingExecutor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);
}
