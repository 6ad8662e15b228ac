namespace Fx.Reports;

/// <summary>A test the harness keeps waiting for "report-lock": its wait must show in the result files (TRX, JUnit XML).</summary>
public sealed class WaitsForTheHarness() : JournaledTest("report-lock", journalConstructor: false)
{
    [Test, ExternalLock("report-lock")]
    public void Waits() => Log("body");
}
