using System.ComponentModel;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestLocks.MSTest.Execution;

namespace TestLocks.MSTest;

/// <summary>
/// TestLocks' MSTest hook. The package adds this class to C# test projects, and MSTest calls it around every test and
/// data row (MSBuild property <c>TestLocksRegisterMSTest=false</c> turns that off; then add it yourself):
/// <code>
/// [TestClass]
/// public static class TestLocksGlobalHooks
/// {
///     [GlobalTestInitialize] public static Task TakeLocks(TestContext testContext) =&gt; TestLocksHooks.TakeLocksAsync(testContext);
///     [GlobalTestCleanup] public static Task ReleaseLocks(TestContext testContext) =&gt; TestLocksHooks.ReleaseLocksAsync(testContext);
/// }
/// </code>
/// MSTest runs [GlobalTestInitialize] before the test class's constructor and [GlobalTestCleanup] after its Dispose.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TestLocksHooks
{
    /// <summary>Takes the locks of the test <paramref name="testContext"/> runs: the [ExternalLock] names of its method,
    /// class and assembly, and the serial lock (write for [Serial], read otherwise). A waiting test says who holds the
    /// lock in its output and live; the wait honours the test's CancellationToken ([Timeout], a cancelled run).</summary>
    /// <exception cref="LockTimeoutException">A lock was not acquired within lock_timeout; the test fails, unconstructed.</exception>
    public static Task TakeLocksAsync(TestContext testContext) => TestLocking.AcquireAsync(testContext);

    /// <summary>Releases the locks taken for the test <paramref name="testContext"/> runs, if any.</summary>
    public static Task ReleaseLocksAsync(TestContext testContext) => TestLocking.ReleaseAsync(testContext);
}
