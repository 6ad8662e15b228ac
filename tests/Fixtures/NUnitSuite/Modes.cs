// Each in a namespace of its own, so that the harness can run each in a process of its own.
namespace Fx.Readers
{
    public sealed class Reader() : JournaledTest("shared:r", journalConstructor: false)
    {
        [Test, ExternalLock("shared", Mode = LockMode.Read)]
        public void Fact() => Log("body");
    }
}

namespace Fx.Writers
{
    public sealed class Writer() : JournaledTest("shared", journalConstructor: false)
    {
        [Test, ExternalLock("shared")]
        public void Fact() => Log("body");
    }
}

namespace Fx.Serial
{
    [Serial]
    public sealed class SerialTest() : JournaledTest("serial", journalConstructor: false)
    {
        [Test]
        public void Fact() => Log("body");
    }
}
