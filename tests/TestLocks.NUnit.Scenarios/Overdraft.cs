using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

/// <summary>
/// Run on one worker while the driving test holds "overdraft": Locked waits for it, and a stand-in runs RunsBesideIt in
/// the worker's slot, which goes on only once Locked has run. Locked, back from its wait and holding the lock, must run
/// at once (two tests in one slot for a moment) rather than wait for the slot: waiting there, while holding the lock,
/// for a test that waits for it, is the lock-order inversion that hung whole runs.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class OverdraftTests
{
    private static readonly ManualResetEventSlim s_lockedRan = new();

    [Test, ExternalLock("overdraft")] // first: NUnit runs a fixture's tests in the order of their names
    public void Locked()
    {
        Journal.Write("locked");
        s_lockedRan.Set();
    }

    [Test]
    public void RunsBesideIt()
    {
        TestContext.Progress.WriteLine("RunsBesideIt started");
        Assert.That(s_lockedRan.Wait(TimeSpan.FromSeconds(30)), Is.True,
            "Locked, back from its lock wait and holding its lock, did not run while this test ran in its worker's slot");
        Journal.Write("beside");
    }
}
