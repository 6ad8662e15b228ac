namespace Fx.Unregistered;

[TestClass]
public sealed class WithoutTheHook
{
    [TestMethod, ExternalLock("unregistered-lock")]
    public void Marked() { }

    [TestMethod, Serial]
    public void Serial() { }

    [TestMethod]
    public void Unmarked() { }
}
