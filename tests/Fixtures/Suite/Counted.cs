using TestLocks.Testing;

namespace Fx.Counted;

// A counted lock and a pool shared by every framework's processes (the contract's mixed scenario): each test witnesses
// what it holds ("quota", or "pool=MEMBER") in the journal. The pool's members come from TESTLOCKS_CONFIG's [testlocks.pools].

public sealed class Quota1() : JournaledTest("quota")
{
    [Fact, ExternalLock("quota", Slots = 2)]
    public void Quota1_runs() => Witness("quota");
}

public sealed class Quota2() : JournaledTest("quota")
{
    [Fact, ExternalLock("quota", Slots = 2)]
    public void Quota2_runs() => Witness("quota");
}

[ExternalLock("quota", Slots = 2)]
public sealed class Quota3() : JournaledTest("quota")
{
    [Fact]
    public void Quota3_runs() => Witness("quota");
}

public sealed class Pool1() : JournaledTest("pool")
{
    [Fact, Lease("pool")]
    public void Pool1_runs() => Witness("pool=" + Lease.Current("pool"));
}

public sealed class Pool2() : JournaledTest("pool")
{
    [Fact, Lease("pool")]
    public void Pool2_runs() => Witness("pool=" + Lease.Current("pool"));
}

[Lease("pool")]
public sealed class Pool3() : JournaledTest("pool")
{
    [Fact]
    public void Pool3_runs() => Witness("pool=" + Lease.Current("pool"));
}

/// <summary>Leases its member with a LeaseFixture (the fixture form of [Lease]), set up in the test's body.</summary>
public sealed class Pool4 : TestWithFixtures
{
    private static int s_instances;

    [Fact]
    public void Pool4_runs()
    {
        var lease = UseFixture(new TestLocks.Fixtures.LeaseFixture("pool"));
        Assert.Equal(lease.Member, Lease.Current("pool"));
        var who = $"Pool4#{Interlocked.Increment(ref s_instances)}";
        var path = Environment.GetEnvironmentVariable(Journal.Variable)!;
        Journal.Append(path, who, "enter", "pool=" + lease.Member);
        Thread.Sleep(30); // as JournaledTest.Witness
        Journal.Append(path, who, "exit", "pool=" + lease.Member);
    }
}
