// Each in a namespace of its own, so that the harness can run each in a process of its own: within one process a
// waiting writer queues every later reader behind it (the in-process lock is FIFO), which would hide what is shown here.
namespace Fx.Readers
{
    public sealed class Reader() : JournaledTest("shared:r")
    {
        [Fact, ExternalLock("shared", Mode = LockMode.Read)]
        public void Fact() => Log("body");
    }
}

namespace Fx.Writers
{
    public sealed class Writer() : JournaledTest("shared")
    {
        [Fact, ExternalLock("shared")]
        public void Fact() => Log("body");
    }
}

namespace Fx.Serial
{
    [Serial]
    public sealed class SerialTest() : JournaledTest("serial")
    {
        [Fact]
        public void Fact() => Log("body");
    }
}
