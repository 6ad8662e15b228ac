namespace Fx.Slots;

// Run with one MSTest worker (mstest:parallelism:workers 1 in a --config-file) while the harness holds "slot-first" and "slot-last": each
// marked test gives its slot back while it waits, so both wait at once and the unmarked tests run meanwhile.

[TestClass, ExternalLock("slot-first")]
public sealed class ReleasedFirst() : JournaledTest("slot-first")
{
    [TestMethod]
    public void ReleasedFirst_runs() => Log("body");
}

[TestClass, ExternalLock("slot-last")]
public sealed class ReleasedLast() : JournaledTest("slot-last")
{
    [TestMethod]
    public void ReleasedLast_runs() => Log("body");
}

[TestClass]
public sealed class Unmarked1() : JournaledTest("")
{
    [TestMethod]
    public void Unmarked1_runs() => Log("body");
}

[TestClass]
public sealed class Unmarked2() : JournaledTest("")
{
    [TestMethod]
    public void Unmarked2_runs() => Log("body");
}

[TestClass]
public sealed class Unmarked3() : JournaledTest("")
{
    [TestMethod]
    public void Unmarked3_runs() => Log("body");
}
