using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;
using TestLocks;
using TestLocks.NUnit;

namespace TestLocks.Bench.NUnit;

/// <summary>BENCH_TESTS empty test cases that each hold one named lock (and, like every test of an assembly with
/// TestLocksAssembly, which the package adds, the serial lock's read side). Its read side, so that a test never waits
/// for the previous one's release: the figure is overhead, not hand-off.</summary>
public sealed class Marked
{
    [Test, ExternalLock("bench-marked", Mode = LockMode.Read)]
    [TestCaseSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => PerTestClock.Ran("NUnit marked");
}

/// <summary>The same test cases without an attribute: the assembly's TestLocksAssembly wraps them (the lifecycle and
/// the serial lock's read side).</summary>
public sealed class Unmarked
{
    [Test]
    [TestCaseSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => PerTestClock.Ran("NUnit unmarked");
}

/// <summary>The same test cases with a wrapper attribute of the kind TestLocks' are (IWrapSetUpTearDown and
/// IApplyToTest) that does nothing. NUnit wraps a test with the wrappers of its first level that has any, so this one
/// replaces the assembly's TestLocksAssembly: these tests run without anything of TestLocks, and the row is what NUnit
/// itself charges for a wrapper.</summary>
public sealed class WrapperOnly
{
    [Test, NoOpWrapper]
    [TestCaseSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => PerTestClock.Ran("NUnit do-nothing");
}

/// <summary>Wraps a test's set-up, body and tear-down in a command that only runs them.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NoOpWrapperAttribute : NUnitAttribute, IWrapSetUpTearDown, IApplyToTest
{
    public TestCommand Wrap(TestCommand command) => new PassThrough(command);

    public void ApplyToTest(Test test)
    {
    }

    private sealed class PassThrough(TestCommand inner) : DelegatingTestCommand(inner)
    {
        public override TestResult Execute(TestExecutionContext context) => innerCommand.Execute(context);
    }
}
