using TestLocks.Testing;

namespace Fx.Counted;

// A counted lock and a pool shared by every framework's processes (the contract's mixed scenario): each test witnesses
// what it holds ("quota", or "pool=MEMBER") in the journal. The pool's members come from TESTLOCKS_CONFIG's [testlocks.pools].

public sealed class Quota1() : JournaledTest("quota", journalConstructor: false)
{
    [Test, ExternalLock("quota", Slots = 2)]
    public void Quota1_runs() => Witness("quota");
}

public sealed class Quota2() : JournaledTest("quota", journalConstructor: false)
{
    [Test, ExternalLock("quota", Slots = 2)]
    public void Quota2_runs() => Witness("quota");
}

[ExternalLock("quota", Slots = 2)]
public sealed class Quota3() : JournaledTest("quota", journalConstructor: false)
{
    [Test]
    public void Quota3_runs() => Witness("quota");
}

public sealed class Pool1() : JournaledTest("pool", journalConstructor: false)
{
    [Test, Lease("pool")]
    public void Pool1_runs() => Witness("pool=" + Lease.Current("pool"));
}

public sealed class Pool2() : JournaledTest("pool", journalConstructor: false)
{
    [Test, Lease("pool")]
    public void Pool2_runs() => Witness("pool=" + Lease.Current("pool"));
}

[Lease("pool")]
public sealed class Pool3() : JournaledTest("pool", journalConstructor: false)
{
    [Test]
    public void Pool3_runs() => Witness("pool=" + Lease.Current("pool"));
}
