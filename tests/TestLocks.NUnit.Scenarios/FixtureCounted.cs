using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;
using TestLocks.Testing;

namespace TestLocks.NUnit.Scenarios;

/// <summary>A fixture that leases a member of "pool" (the workspace's INI declares it) and holds the only slot of
/// "quota" from OneTimeSetUp to OneTimeTearDown: its tests read the fixture's member, and a test that asks again for the
/// pool or the counted lock is satisfied by what the fixture holds (it would otherwise wait for its own fixture).</summary>
[Lease("pool", Scope = LockScope.Fixture)]
[ExternalLock("quota", Slots = 1, Scope = LockScope.Fixture)]
public class FixtureCounted : TestLocksFixture
{
    // NUnit runs the tests in name order.
    [Test]
    public void AReadsTheMember() => Journal.Write("member " + Lease.Current("pool"));

    [Test, Lease("pool")]
    public void BAsksAgainForThePool() => Journal.Write("member " + Lease.Current("pool"));

    [Test, ExternalLock("quota", Slots = 1)]
    public void CAsksAgainForTheCountedLock() => Journal.Write("quota");
}
