namespace Fx.Failures;

/// <summary>Three tests on one lock, run one after another: whatever their order, the first instance throws in its
/// constructor and the second in Dispose; the third can take the lock only if both failures released it.</summary>
[ExternalLock("fail-lock")]
public sealed class FailingPhases : JournaledTest, IDisposable
{
    private static int s_instances;
    private readonly int _instance = Interlocked.Increment(ref s_instances);

    public FailingPhases() : base("fail-lock")
    {
        if (_instance == 1) throw new InvalidOperationException("The constructor failed on purpose.");
    }

    [Fact]
    public void First() => Log("body");

    [Fact]
    public void Second() => Log("body");

    [Fact]
    public void Third() => Log("body");

    public void Dispose()
    {
        Log("Dispose");
        if (_instance == 2) throw new InvalidOperationException("Dispose failed on purpose.");
    }
}

public sealed class TimesOut() : JournaledTest("timeout-lock")
{
    [Fact, ExternalLock("timeout-lock")]
    public void Times_out() => Log("body");
}
