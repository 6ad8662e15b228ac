using TestLocks.Fixtures;
using TestLocks.MSTest;
using TestLocks.Samples.Cloud;

namespace TestLocks.Samples.Aggregates;

/// <summary>
/// Tempest's compute admin aggregate tests (tempest/api/compute/admin/test_aggregates.py) on MSTest, against the
/// file-backed cloud. Each test changes the availability zone setup of the one compute host, so each holds the lock
/// "availability_zone" with Tempest's prefix, the lock file <c>lock_path/tempest-availability_zone</c>: the same lock
/// as Tempest's Python workers and the xUnit, NUnit and TUnit samples take.
/// </summary>
[TestClass]
public sealed class AggregatesAdminTest : TestLocksTest
{
    private const string Host = "compute-1";
    private readonly FileCloud _client = FileCloud.FromEnvironment();

    /// <summary>The seed's test, line for line: the lock is the first fixture, so it also covers every cleanup.</summary>
    [TestMethod]
    public void test_aggregate_add_host_list()
    {
        // Add a host to the given aggregate and list.
        UseFixture(new LockFixture("availability_zone", "tempest-"));
        var aggregateName = RandName("test_aggregate");
        var aggregate = _client.CreateAggregate(aggregateName);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host);
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var agg = _client.ListAggregates().Single(x => x.Id == aggregate.Id);
        Assert.AreEqual(aggregateName, agg.Name);
        Assert.IsNull(agg.AvailabilityZone);
        CollectionAssert.Contains(agg.Hosts.ToList(), Host);
    }

    /// <summary>The same lock held by the attribute: from before the constructor until after the cleanups and Dispose.</summary>
    [TestMethod, ExternalLock("availability_zone", Prefix = "tempest-")]
    public void test_aggregate_add_host_get_details()
    {
        var aggregateName = RandName("test_aggregate");
        var aggregate = _client.CreateAggregate(aggregateName);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host);
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var body = _client.GetAggregate(aggregate.Id);
        Assert.AreEqual(aggregateName, body.Name);
        Assert.IsNull(body.AvailabilityZone);
        CollectionAssert.Contains(body.Hosts.ToList(), Host);
    }

    [TestMethod, ExternalLock("availability_zone", Prefix = "tempest-")]
    public void test_aggregate_add_remove_host()
    {
        var aggregate = _client.CreateAggregate(RandName("test_aggregate"));
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));

        CollectionAssert.AreEqual(new[] { Host }, _client.AddHost(aggregate.Id, Host).Hosts.ToList());
        Assert.AreEqual(0, _client.RemoveHost(aggregate.Id, Host).Hosts.Count);
    }

    [TestMethod, ExternalLock("availability_zone", Prefix = "tempest-")]
    [DataRow("zone-east")]
    [DataRow("zone-west")]
    public void test_aggregate_create_update_with_az(string availabilityZone)
    {
        var aggregate = _client.CreateAggregate(RandName("test_aggregate"), availabilityZone);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host); // the host joins the zone: no other zone may hold it meanwhile
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var newName = RandName("test_aggregate_new");
        Assert.AreEqual(newName, _client.UpdateAggregate(aggregate.Id, newName, availabilityZone).Name);
        Assert.AreEqual(availabilityZone, _client.GetAggregate(aggregate.Id).AvailabilityZone);
        Assert.AreEqual(1, _client.ListAggregates().Count(a => a.Hosts.Contains(Host) && a.AvailabilityZone is not null));
    }

    private static string RandName(string prefix) => $"{prefix}-{Random.Shared.Next(100_000_000):D8}";
}
