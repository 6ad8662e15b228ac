using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestLocks.Xunit.Runners;

/// <summary>
/// Runs the test cases of an assembly through <see cref="LockingAssemblyRunner"/>, after running the test assembly's
/// module initializer: code there (setting <see cref="LockFactory.Default"/>, say) applies from the first lock on, as it
/// does in an xUnit v3 test executable.
/// </summary>
internal sealed class LockingExecutor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
    : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
{
    protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
    {
        if (AssemblyInfo is IReflectionAssemblyInfo { Assembly: { } assembly }) RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        using var runner = new LockingAssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
        await runner.RunAsync().ConfigureAwait(false);
    }
}
