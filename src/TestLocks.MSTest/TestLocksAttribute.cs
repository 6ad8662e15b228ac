using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestLocks.MSTest.Execution;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.MSTest;

/// <summary>
/// The base of <see cref="ExternalLockAttribute"/> and <see cref="SerialAttribute"/>. The locks are taken by TestLocks'
/// [GlobalTestInitialize] hook before the test class is constructed. MSTest evaluates this attribute as a condition
/// before the test runs: when the test assembly lacks the hook, the test fails with the class to add instead of running
/// without its locks.
/// </summary>
public abstract class TestLocksAttribute : ConditionBaseAttribute, ILockRequestSource
{
    private protected TestLocksAttribute() : base(ConditionMode.Include)
    {
    }

    /// <inheritdoc />
    public override string GroupName => "TestLocks";

    /// <summary>True when TestLocks' hook is registered in the test assembly; otherwise throws
    /// <see cref="TestLocksException"/> with the fix, which fails the test.</summary>
    public override bool IsConditionMet => Registration.EnsureRegistered(Kind);

    /// <summary>The locks this attribute asks for in <paramref name="testCase"/>.</summary>
    private protected abstract IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase);

    IEnumerable<LockRequest> ILockRequestSource.RequestsFor(TestCaseInfo testCase) => RequestsFor(testCase);

    private protected abstract string Kind { get; }
}
