using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;
using TestLocks.NUnit.Execution;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.NUnit;

/// <summary>
/// The base of <see cref="ExternalLockAttribute"/> and <see cref="SerialAttribute"/>. NUnit wraps each test with the
/// attributes of one level only (the method's, else the class's, else the assembly's); whichever level it picks, the
/// wrapper takes the locks of every level as one set, in ordinal order, and releases them in reverse.
/// </summary>
public abstract class TestLocksAttribute : NUnitAttribute, IWrapSetUpTearDown, IApplyToTest, ILockRequestSource
{
    private protected TestLocksAttribute()
    {
    }

    /// <summary>Around each test (the default), or from OneTimeSetUp to OneTimeTearDown of a class deriving from
    /// <see cref="TestLocksFixture"/>.</summary>
    public LockScope Scope { get; set; }

    /// <summary>The locks this attribute asks for in <paramref name="testCase"/>.</summary>
    private protected abstract IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase);

    IEnumerable<LockRequest> ILockRequestSource.RequestsFor(TestCaseInfo testCase) => RequestsFor(testCase);

    /// <inheritdoc />
    public TestCommand Wrap(TestCommand command) => LockedTestCommand.Wrap(command);

    /// <summary>Marks the test (or fixture) not runnable when the attribute cannot work where it is placed, so it
    /// fails with the reason instead of running unlocked.</summary>
    public void ApplyToTest(Test test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (test.RunState == RunState.NotRunnable) return;
        var problem = Scope == LockScope.Fixture ? AttributeLevels.FixtureScopeProblem(test, GetType()) : null;
        if (problem is not null) test.MakeInvalid(problem);
    }
}
