// Built into a suite of its own with no assembly-level TestLocks attribute, so that the unmarked tests carry no TestLocks
// attribute at all: a [Serial] test must still run while none of them runs, in this process and in any other.
// Four workers for three tests: a waiting MSTest test keeps its worker (issue 21), which must not stop this scenario.
[assembly: Parallelize(Workers = 4, Scope = ExecutionScope.MethodLevel)]

namespace Fx.Plain;

[TestClass, Serial]
public sealed class SerialTest() : JournaledTest("serial")
{
    [TestMethod]
    public void Serial_test()
    {
        Log("body");
        Log("body end");
    }
}

[TestClass]
public sealed class UnmarkedA() : JournaledTest("")
{
    [TestMethod]
    public void Unmarked_a()
    {
        Log("body");
        Log("body end");
    }
}

[TestClass]
public sealed class UnmarkedB() : JournaledTest("")
{
    [TestMethod]
    public void Unmarked_b()
    {
        Log("body");
        Log("body end");
    }
}
