using TestLocks.Adapters;
using TestLocks.Fixtures;
using TestLocks.Testing;

namespace TestLocks.Core.Tests;

/// <summary>LeaseFixture: a pool member held from set-up to clean-up, excluding other processes' leases of it.</summary>
public sealed class LeaseFixtureTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_LeaseFixture_holds_a_member_from_set_up_to_clean_up_and_the_running_test_reads_it_with_Lease_Current()
    {
        using var dir = new LockDir();
        var pool = LockDir.UniqueName("accounts");
        var fixture = new LeaseFixture(pool, ["alice", "bob"], factory: dir.Factory);
        Assert.Contains("UseFixture", Assert.Throws<TestLocksException>(() => fixture.Member).Message, StringComparison.Ordinal);
        using (CurrentTest.Enter("LeaseFixtureTests.test"))
        {
            await fixture.SetUpAsync(Token);
            Assert.Equal("alice", fixture.Member);
            Assert.Equal("alice", fixture.Handle!.Member);
            Assert.Equal("alice", Lease.Current(pool));
            await using var other = HelperProcess.StartHelper(dir.Environment(), "lease", pool, "alice,bob", "Accounts.other");
            Assert.Equal("HELD bob", await other.WaitForLineAsync("HELD", Token)); // another process gets the other member
            await using var third = HelperProcess.StartHelper(dir.Environment(), "lease", pool, "alice,bob", "Accounts.third");
            Assert.Contains("member alice", await third.WaitForLineAsync("BLOCKED", Token), StringComparison.Ordinal);

            await fixture.CleanUpAsync();

            Assert.Equal("HELD alice", await third.WaitForLineAsync("HELD", Token));
            Assert.Null(Lease.TryCurrent(pool));
            Assert.Null(fixture.Handle);
            Assert.Throws<TestLocksException>(() => fixture.Member);
        }
    }

    [Fact]
    public void A_LeaseFixture_of_a_pool_the_INI_file_does_not_declare_fails_at_once_naming_the_section()
    {
        using var dir = new LockDir();

        var e = Assert.Throws<TestLocksConfigurationException>(() => new LeaseFixture("database", factory: dir.Factory));

        Assert.Contains("[testlocks.pools]", e.Message, StringComparison.Ordinal);
    }
}
