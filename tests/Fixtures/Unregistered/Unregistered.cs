namespace Fx.Unregistered;

public sealed class WithoutTheHook
{
    [Fact, ExternalLock("unregistered-lock")]
    public void Marked() { }

    [Fact, Serial]
    public void Serial() { }

    [Fact]
    public void Unmarked() { }
}
