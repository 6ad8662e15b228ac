namespace Fx.Live;

/// <summary>A test the harness keeps waiting for "live-lock" while it reads the terminal.</summary>
[TestClass]
public sealed class WaitsForTheHarness() : JournaledTest("live-lock")
{
    [TestMethod, ExternalLock("live-lock")]
    public void Test() => Log("body");
}
