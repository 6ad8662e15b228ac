using System.Reflection;
using TestLocks.Xunit.Scheduling;
using Xunit.v3;

namespace TestLocks.Xunit;

/// <summary>
/// xUnit v3's own test framework, except that a test waiting for a lock does not hold one of the run's parallel slots:
/// with the default ("conservative") algorithm, at most maxParallelThreads test collections run at once, and a test that
/// waits for a lock (its attributes', a fixture's, or one its body takes) gives its slot back while it waits, so another
/// collection starts meanwhile; once it holds its locks it takes the next free slot, ahead of collections not yet started.
/// The package registers it in C# test projects with <c>[assembly: TestFramework(typeof(TestLocksTestFramework))]</c>
/// (MSBuild property <c>TestLocksRegisterXunitFramework=false</c> leaves it out); a project with a test framework of its
/// own can derive it from this one.
/// </summary>
public class TestLocksTestFramework : XunitTestFramework
{
    private readonly string? _configFileName;

    /// <summary>Creates the framework; xUnit does, once per test assembly.</summary>
    public TestLocksTestFramework()
    {
    }

    /// <summary>Creates the framework with xUnit's configuration file (xunit.runner.json) <paramref name="configFileName"/>.</summary>
    public TestLocksTestFramework(string? configFileName) : base(configFileName) => _configFileName = configFileName;

    /// <inheritdoc />
    protected override ITestFrameworkExecutor CreateExecutor(Assembly assembly) =>
        new LockAwareExecutor(new XunitTestAssembly(assembly, _configFileName));
}
