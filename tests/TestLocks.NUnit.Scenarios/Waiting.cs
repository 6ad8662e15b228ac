using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

public class Waiting
{
    [SetUp]
    public void SetUp() => Journal.Write("setup");

    [Test, ExternalLock("contended")]
    public void Contended() => Journal.Write("body");

    [Test, CancelAfter(300), ExternalLock("contended")]
    public void ContendedWithCancelAfter() => Journal.Write("body");

    /// <summary>Waits for the lock, then outlasts its own CancelAfter: the restarted clock still ends it.</summary>
    [Test, CancelAfter(300), ExternalLock("contended")]
    public void ContendedThenTooSlow()
    {
        Journal.Write("body");
        Task.Delay(TimeSpan.FromMinutes(1), TestContext.CurrentContext.CancellationToken).GetAwaiter().GetResult();
    }
}
