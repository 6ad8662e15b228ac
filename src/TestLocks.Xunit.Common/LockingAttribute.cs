using System.Reflection;
using TestLocks.Adapters;
using TestLocks.Testing;
#if XUNIT_V3
using Xunit.v3;
#else
using Xunit.Sdk;
#endif

namespace TestLocks.Xunit;

/// <summary>
/// The base of TestLocks' test attributes. The locks themselves are taken by TestLocks' xUnit hook before the test class
/// is constructed; right before the test runs, the attribute checks that the hook did take them, and fails the test
/// with the registration line to add when it did not.
/// </summary>
public abstract class LockingAttribute : BeforeAfterTestAttribute, ILockRequestSource
{
    private protected LockingAttribute() { }

    private protected abstract string Kind { get; }

    private protected abstract IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase);

    IEnumerable<LockRequest> ILockRequestSource.RequestsFor(TestCaseInfo testCase) => RequestsFor(testCase);

    /// <summary>Fails the test when TestLocks' xUnit hook did not take its locks (the hook is not registered).</summary>
#if XUNIT_V3
    public override void Before(MethodInfo methodUnderTest, IXunitTest test) => TestLocking.EnsureLocked(test?.UniqueID, Kind);
#else
    public override void Before(MethodInfo methodUnderTest) => TestLocking.EnsureLocked(LockedTest.RunningTestId, Kind);
#endif
}
