namespace Fx.Slots;

// Run with one parallel test (TUNIT_MAX_PARALLEL_TESTS=1) while the harness holds "slot-first" and "slot-last": each
// marked test gives its slot back while it waits, so both wait at once and the unmarked tests run meanwhile.

[ExternalLock("slot-first")]
public sealed class ReleasedFirst() : JournaledTest("slot-first", journalConstructor: false)
{
    [Test]
    public void ReleasedFirst_runs() => Log("body");
}

[ExternalLock("slot-last")]
public sealed class ReleasedLast() : JournaledTest("slot-last", journalConstructor: false)
{
    [Test]
    public void ReleasedLast_runs() => Log("body");
}

public sealed class Unmarked1() : JournaledTest("", journalConstructor: false)
{
    [Test]
    public void Unmarked1_runs() => Log("body");
}

public sealed class Unmarked2() : JournaledTest("", journalConstructor: false)
{
    [Test]
    public void Unmarked2_runs() => Log("body");
}

public sealed class Unmarked3() : JournaledTest("", journalConstructor: false)
{
    [Test]
    public void Unmarked3_runs() => Log("body");
}
