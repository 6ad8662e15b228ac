#if XUNIT_V3
// Lock waits that end after their test collection has ended, run with one parallel slot: a test that times out while
// its body waits for a lock without the test's token, and a fire-and-forget task that waits for a lock. When those waits
// end (lock_timeout, while the harness holds "late-lock"), they must take no slot: LateB, which waits for "late-b" until
// then, must get a slot and the run must end.
namespace Fx.LateWaits;

public sealed class TimesOutWhileWaiting() : JournaledTest("")
{
#pragma warning disable xUnit1069 // the point: the body waits without the test's token, and outlives its Timeout
    [Fact(Timeout = 1000)]
    public async Task Fact()
#pragma warning restore xUnit1069
    {
        try
        {
            await using var held = await JournaledTest.Factory.CreateLock("late-lock").AcquireAsync(TimeSpan.FromSeconds(3)); // no token
        }
        catch (LockTimeoutException)
        {
            Log("wait over");
        }
    }
}

public sealed class FireAndForget() : JournaledTest("")
{
    [Fact]
    public void Fact()
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await using var held = await JournaledTest.Factory.CreateLock("late-lock").AcquireAsync(TimeSpan.FromSeconds(2));
            }
            catch (LockTimeoutException)
            {
                Log("wait over");
            }
        });
        Log("body");
    }
}

[ExternalLock("late-b")]
public sealed class LateB() : JournaledTest("late-b")
{
    [Fact]
    public void Fact() => Log("body");
}
#endif
