using TestLocks.Testing;

namespace Fx.Counted;

// A counted lock and a pool shared by every framework's processes (the contract's mixed scenario): each test witnesses
// what it holds ("quota", or "pool=MEMBER") in the journal. The pool's members come from TESTLOCKS_CONFIG's [testlocks.pools].

[TestClass]
public sealed class Quota1() : JournaledTest("quota")
{
    [TestMethod, ExternalLock("quota", Slots = 2)]
    public void Quota1_runs() => Witness("quota");
}

[TestClass]
public sealed class Quota2() : JournaledTest("quota")
{
    [TestMethod, ExternalLock("quota", Slots = 2)]
    public void Quota2_runs() => Witness("quota");
}

[TestClass, ExternalLock("quota", Slots = 2)]
public sealed class Quota3() : JournaledTest("quota")
{
    [TestMethod]
    public void Quota3_runs() => Witness("quota");
}

[TestClass]
public sealed class Pool1() : JournaledTest("pool")
{
    [TestMethod, Lease("pool")]
    public void Pool1_runs() => Witness("pool=" + Lease.Current("pool"));
}

[TestClass]
public sealed class Pool2() : JournaledTest("pool")
{
    [TestMethod, Lease("pool")]
    public void Pool2_runs() => Witness("pool=" + Lease.Current("pool"));
}

[TestClass, Lease("pool")]
public sealed class Pool3() : JournaledTest("pool")
{
    [TestMethod]
    public void Pool3_runs() => Witness("pool=" + Lease.Current("pool"));
}
