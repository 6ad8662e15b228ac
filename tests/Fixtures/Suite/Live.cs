namespace Fx.Live;

/// <summary>A test whose own timeout (500 ms) is shorter than the harness holds its lock: it must still pass, since
/// the timeout measures the test, not its wait for the lock.</summary>
public sealed class WaitsLongerThanItsTimeout() : JournaledTest("live-lock")
{
    [Fact(Timeout = 500), ExternalLock("live-lock")]
    public async Task Fact()
    {
        Log("body");
#if XUNIT_V3
        await Task.Delay(1, TestContext.Current.CancellationToken);
#else
        await Task.Yield();
#endif
    }
}
