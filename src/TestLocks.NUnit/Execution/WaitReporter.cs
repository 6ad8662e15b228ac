using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace TestLocks.NUnit.Execution;

/// <summary>Reports lock waits live through <see cref="TestContext.Progress"/>: which lock, where, who holds it, and for
/// how long the test has waited. Core calls it when the wait starts and every warn_after while it lasts.</summary>
internal static class WaitReporter
{
    public static Action<LockWaitNotice> For(ITest test) =>
        notice => TestContext.Progress.WriteLine($"[TestLocks] {test.FullName}: {notice}");
}
