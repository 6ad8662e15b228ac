namespace Fx.Cancel;

public sealed class WaitsForever() : JournaledTest("cancel-lock")
{
    [Fact, ExternalLock("cancel-lock")]
    public void Fact() => Log("body");
}
