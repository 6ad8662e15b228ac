using TestLocks.Fixtures;
using TestLocks.Samples.Cloud;
using TestLocks.Xunit;

namespace TestLocks.Samples.Aggregates;

/// <summary>
/// Tempest's compute admin aggregate tests (tempest/api/compute/admin/test_aggregates.py) against the file-backed cloud.
/// Every test changes the availability zone setup of the one compute host, so every test holds the lock
/// "availability_zone" with Tempest's prefix: the lock file <c>lock_path/tempest-availability_zone</c>.
/// The same source runs on xUnit v3 and on xUnit v2.
/// </summary>
public sealed class AggregatesAdminTest : TestWithFixtures
{
    private const string Host = "compute-1";
    private readonly FileCloud _client = FileCloud.FromEnvironment();

    /// <summary>The seed's test, line for line: the Tempest idiom, a LockFixture taken first, so it covers every cleanup.</summary>
    [Fact]
    public void test_aggregate_add_host_list()
    {
        // Add a host to the given aggregate and list.
        UseFixture(new LockFixture("availability_zone", "tempest-"));
        var aggregateName = RandName("test_aggregate");
        var aggregate = _client.CreateAggregate(aggregateName);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host);
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var aggregates = _client.ListAggregates();
        var agg = Assert.Single(aggregates, x => x.Id == aggregate.Id);
        Assert.Equal(aggregateName, agg.Name);
        Assert.Null(agg.AvailabilityZone);
        Assert.Contains(Host, agg.Hosts);
    }

    /// <summary>The same lock held by the attribute: from before the constructor until after the cleanups.</summary>
    [Fact, ExternalLock("availability_zone", Prefix = "tempest-")]
    public void test_aggregate_add_host_get_details()
    {
        var aggregateName = RandName("test_aggregate");
        var aggregate = _client.CreateAggregate(aggregateName);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host);
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var body = _client.GetAggregate(aggregate.Id);
        Assert.Equal(aggregateName, body.Name);
        Assert.Null(body.AvailabilityZone);
        Assert.Contains(Host, body.Hosts);
    }

    [Fact, ExternalLock("availability_zone", Prefix = "tempest-")]
    public void test_aggregate_add_remove_host()
    {
        var aggregate = _client.CreateAggregate(RandName("test_aggregate"));
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));

        var added = _client.AddHost(aggregate.Id, Host);
        Assert.Equal([Host], added.Hosts);
        var removed = _client.RemoveHost(aggregate.Id, Host);
        Assert.Empty(removed.Hosts);
    }

    [Theory, ExternalLock("availability_zone", Prefix = "tempest-")]
    [InlineData("zone-east")]
    [InlineData("zone-west")]
    public void test_aggregate_create_update_with_az(string availabilityZone)
    {
        var aggregate = _client.CreateAggregate(RandName("test_aggregate"), availabilityZone);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host); // the host joins the zone: no other zone may hold it meanwhile
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var newName = RandName("test_aggregate_new");
        var updated = _client.UpdateAggregate(aggregate.Id, newName, availabilityZone);
        Assert.Equal(newName, updated.Name);
        Assert.Equal(availabilityZone, _client.GetAggregate(aggregate.Id).AvailabilityZone);
        Assert.Single(_client.ListAggregates(), a => a.Hosts.Contains(Host) && a.AvailabilityZone is not null);
    }

    private static string RandName(string prefix) => $"{prefix}-{Random.Shared.Next(100_000_000)}";
}
