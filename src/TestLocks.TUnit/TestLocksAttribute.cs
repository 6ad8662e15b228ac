using TestLocks.Adapters;
using TestLocks.Testing;
using TestLocks.TUnit.Execution;
using TUnit.Core;
using TUnit.Core.Enums;
using TUnit.Core.Interfaces;

namespace TestLocks.TUnit;

/// <summary>
/// The base of <see cref="ExternalLockAttribute"/> and <see cref="SerialAttribute"/>: TUnit calls every attribute of a
/// test, its class and its assembly that receives test events, so no registration is needed. The first of a test's
/// TestLocks attributes to start takes the locks of all of them as one set, before the [Before(Test)] hooks (stage
/// Early, order int.MinValue); they are released after the [After(Test)] hooks (stage Late), also when a hook or the
/// test fails.
/// </summary>
public abstract class TestLocksAttribute : Attribute, ITestStartEventReceiver, ITestEndEventReceiver, ILockRequestSource
{
    private protected TestLocksAttribute()
    {
    }

    /// <summary>int.MinValue: TestLocks starts before other receivers of the same stage.</summary>
    public int Order => int.MinValue;

    /// <summary>Early: the locks are taken before the [Before(Test)] hooks.</summary>
    EventReceiverStage ITestStartEventReceiver.Stage => EventReceiverStage.Early;

    /// <summary>Late: the locks are released after the [After(Test)] hooks.</summary>
    EventReceiverStage ITestEndEventReceiver.Stage => EventReceiverStage.Late;

    /// <summary>Takes the test's locks (once per test, whichever of its TestLocks attributes TUnit calls first).</summary>
    /// <exception cref="LockTimeoutException">A lock was not acquired within lock_timeout; the test fails before [Before(Test)].</exception>
    public ValueTask OnTestStart(TestContext context) => TestLocking.AcquireAsync(context);

    /// <summary>Releases the test's locks, if they were taken.</summary>
    public ValueTask OnTestEnd(TestContext context) => TestLocking.ReleaseAsync(context);

    /// <summary>The locks this attribute asks for in <paramref name="testCase"/>.</summary>
    private protected abstract IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase);

    IEnumerable<LockRequest> ILockRequestSource.RequestsFor(TestCaseInfo testCase) => RequestsFor(testCase);
}
