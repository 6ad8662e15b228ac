// Two tests whose locks the harness holds, each in a class (a collection) of its own, run with one parallel slot: both
// must start to wait at once, and the one whose lock is let go first must run to its end while the other still waits.
namespace Fx.Slots;

[ExternalLock("slot-first")]
public sealed class ReleasedFirst() : JournaledTest("slot-first")
{
    [Fact]
    public void Fact() => Log("body");
}

[ExternalLock("slot-last")]
public sealed class ReleasedLast() : JournaledTest("slot-last")
{
    [Fact]
    public void Fact() => Log("body");
}
