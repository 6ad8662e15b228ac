using TestLocks.Fixtures;
using TestLocks.Samples.Cloud;
using TestLocks.TUnit;

namespace TestLocks.Samples.Aggregates;

/// <summary>
/// Tempest's compute admin aggregate tests (tempest/api/compute/admin/test_aggregates.py) on TUnit, against the
/// file-backed cloud. Each test changes the availability zone setup of the one compute host, so each holds the lock
/// "availability_zone" with Tempest's prefix, the lock file <c>lock_path/tempest-availability_zone</c>: the same lock
/// as Tempest's Python workers and the xUnit, NUnit and MSTest samples take. TUnit runs the tests of a process in
/// parallel; the lock makes them take turns, with each other and with every other process.
/// </summary>
public sealed class AggregatesAdminTest : TestLocksTest
{
    private const string Host = "compute-1";
    private readonly FileCloud _client = FileCloud.FromEnvironment();

    /// <summary>The seed's test, line for line: the lock is the first fixture, so it also covers every cleanup.</summary>
    [Test]
    public async Task test_aggregate_add_host_list()
    {
        // Add a host to the given aggregate and list.
        UseFixture(new LockFixture("availability_zone", "tempest-"));
        var aggregateName = RandName("test_aggregate");
        var aggregate = _client.CreateAggregate(aggregateName);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host);
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var agg = _client.ListAggregates().Single(x => x.Id == aggregate.Id);
        await Assert.That(agg.Name).IsEqualTo(aggregateName);
        await Assert.That(agg.AvailabilityZone).IsNull();
        await Assert.That(agg.Hosts).Contains(Host);
    }

    /// <summary>The same lock held by the attribute: from before [Before(Test)] until after the cleanups.</summary>
    [Test, ExternalLock("availability_zone", Prefix = "tempest-")]
    public async Task test_aggregate_add_host_get_details()
    {
        var aggregateName = RandName("test_aggregate");
        var aggregate = _client.CreateAggregate(aggregateName);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host);
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var body = _client.GetAggregate(aggregate.Id);
        await Assert.That(body.Name).IsEqualTo(aggregateName);
        await Assert.That(body.AvailabilityZone).IsNull();
        await Assert.That(body.Hosts).Contains(Host);
    }

    [Test, ExternalLock("availability_zone", Prefix = "tempest-")]
    public async Task test_aggregate_add_remove_host()
    {
        var aggregate = _client.CreateAggregate(RandName("test_aggregate"));
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));

        await Assert.That(_client.AddHost(aggregate.Id, Host).Hosts).IsEquivalentTo([Host]);
        await Assert.That(_client.RemoveHost(aggregate.Id, Host).Hosts).IsEmpty();
    }

    [Test, ExternalLock("availability_zone", Prefix = "tempest-")]
    [Arguments("zone-east")]
    [Arguments("zone-west")]
    public async Task test_aggregate_create_update_with_az(string availabilityZone)
    {
        var aggregate = _client.CreateAggregate(RandName("test_aggregate"), availabilityZone);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host); // the host joins the zone: no other zone may hold it meanwhile
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var newName = RandName("test_aggregate_new");
        await Assert.That(_client.UpdateAggregate(aggregate.Id, newName, availabilityZone).Name).IsEqualTo(newName);
        await Assert.That(_client.GetAggregate(aggregate.Id).AvailabilityZone).IsEqualTo(availabilityZone);
        await Assert.That(_client.ListAggregates().Count(a => a.Hosts.Contains(Host) && a.AvailabilityZone is not null)).IsEqualTo(1);
    }

    private static string RandName(string prefix) => $"{prefix}-{Random.Shared.Next(100_000_000):D8}";
}
