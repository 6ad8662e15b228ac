using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests.Faults;

/// <summary>
/// The fault suite's witness catches two holders: two real helper processes that the lock does not keep apart (the
/// same lock name in two Redis databases, so both get it at once) must show up as an overlap whose earlier holder was
/// never told, which the suite fails as UNDETECTED.
/// </summary>
public sealed class FaultWitnessTests(SharedServers servers)
{
    [Fact]
    public async Task The_witness_reports_two_holders_that_the_lock_did_not_keep_apart()
    {
        var dir = Directory.CreateTempSubdirectory("testlocks-faults-").FullName;
        try
        {
            var name = LockDir.UniqueName("fault-witness");
            await using var holder = FaultScenario.Start(servers.Redis.Url("?db=0"), Path.Combine(dir, "holder"), "hold", name);
            await holder.WaitForLineAsync("HELD");
            await using var other = FaultScenario.Start(servers.Redis.Url("?db=1&lock_timeout=1"), Path.Combine(dir, "other"), "wait", name);
            await other.WaitForLineAsync("ACQUIRED");
            Assert.Equal(0, await other.WaitForExitAsync());
            await holder.SendAsync("release");
            await holder.WaitForLineAsync("RELEASED");

            var held = Witness.Read("holder", Path.Combine(dir, "holder"));
            var second = Witness.Read("other", Path.Combine(dir, "other"));
            var overlap = Assert.Single(Witness.Overlaps([second, held]));
            Assert.Equal(("holder", "other"), (overlap.First.Holder, overlap.Second.Holder));
            Assert.Null(overlap.First.Lost); // never told: the scenario's verdict is UNDETECTED
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
