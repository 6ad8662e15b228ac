// Each in a namespace of its own, so that the harness can run each in a process of its own.
namespace Fx.Readers
{
    [TestClass]
    public sealed class Reader() : JournaledTest("shared:r")
    {
        [TestMethod, ExternalLock("shared", Mode = LockMode.Read)]
        public void Fact() => Log("body");
    }
}

namespace Fx.Writers
{
    [TestClass]
    public sealed class Writer() : JournaledTest("shared")
    {
        [TestMethod, ExternalLock("shared")]
        public void Fact() => Log("body");
    }
}

namespace Fx.Serial
{
    [TestClass, Serial]
    public sealed class SerialTest() : JournaledTest("serial")
    {
        [TestMethod]
        public void Fact() => Log("body");
    }
}
