// Built into a suite of its own with no assembly-level TestLocks attribute, so that the unmarked tests carry no TestLocks
// attribute at all: a [Serial] test must still run while none of them runs, in this process and in any other.
[assembly: Parallelizable(ParallelScope.All)]
[assembly: FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[assembly: LevelOfParallelism(4)]

namespace Fx.Plain;

[Serial]
public sealed class SerialTest() : JournaledTest("serial", journalConstructor: false)
{
    [Test]
    public void Serial_test()
    {
        Log("body");
        Log("body end");
    }
}

public sealed class UnmarkedA() : JournaledTest("", journalConstructor: false)
{
    [Test]
    public void Unmarked_a()
    {
        Log("body");
        Log("body end");
    }
}

public sealed class UnmarkedB() : JournaledTest("", journalConstructor: false)
{
    [Test]
    public void Unmarked_b()
    {
        Log("body");
        Log("body end");
    }
}
