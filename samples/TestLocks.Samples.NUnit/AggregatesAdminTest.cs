using NUnit.Framework;
using TestLocks.Fixtures;
using TestLocks.NUnit;
using TestLocks.Samples.Cloud;

namespace TestLocks.Samples.Aggregates;

/// <summary>
/// Tempest's compute admin aggregate tests (tempest/api/compute/admin/test_aggregates.py) on NUnit, against the
/// file-backed cloud. Each test changes the availability zone setup of the one compute host, so each holds the lock
/// "availability_zone" with Tempest's prefix, the lock file <c>lock_path/tempest-availability_zone</c>: the same lock
/// as Tempest's Python workers and the xUnit samples take.
/// </summary>
public sealed class AggregatesAdminTest : TestLocksFixture
{
    private const string Host = "compute-1";
    private readonly FileCloud _client = FileCloud.FromEnvironment();

    /// <summary>The seed's test, line for line: the lock is the first fixture, so it also covers every cleanup.</summary>
    [Test]
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
        var aggs = aggregates.Where(x => x.Id == aggregate.Id).ToList();
        Assert.That(aggs, Has.Count.EqualTo(1));
        var agg = aggs[0];
        Assert.That(agg.Name, Is.EqualTo(aggregateName));
        Assert.That(agg.AvailabilityZone, Is.Null);
        Assert.That(agg.Hosts, Does.Contain(Host));
    }

    /// <summary>The same lock held by the attribute, from before SetUp until after the cleanups.</summary>
    [Test, ExternalLock("availability_zone", Prefix = "tempest-")]
    public void test_aggregate_add_host_get_details()
    {
        var aggregateName = RandName("test_aggregate");
        var aggregate = _client.CreateAggregate(aggregateName);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host);
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var body = _client.GetAggregate(aggregate.Id);
        Assert.That(body.Name, Is.EqualTo(aggregateName));
        Assert.That(body.AvailabilityZone, Is.Null);
        Assert.That(body.Hosts, Does.Contain(Host));
    }

    [Test, ExternalLock("availability_zone", Prefix = "tempest-")]
    public void test_aggregate_add_remove_host()
    {
        var aggregate = _client.CreateAggregate(RandName("test_aggregate"));
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));

        Assert.That(_client.AddHost(aggregate.Id, Host).Hosts, Is.EqualTo(new[] { Host }));
        Assert.That(_client.RemoveHost(aggregate.Id, Host).Hosts, Is.Empty);
    }

    [TestCase("zone-east")]
    [TestCase("zone-west")]
    [ExternalLock("availability_zone", Prefix = "tempest-")]
    public void test_aggregate_create_update_with_az(string availabilityZone)
    {
        var aggregate = _client.CreateAggregate(RandName("test_aggregate"), availabilityZone);
        AddCleanup(() => _client.DeleteAggregate(aggregate.Id));
        _client.AddHost(aggregate.Id, Host); // the host joins the zone: no other zone may hold it meanwhile
        AddCleanup(() => _client.RemoveHost(aggregate.Id, Host));

        var newName = RandName("test_aggregate_new");
        Assert.That(_client.UpdateAggregate(aggregate.Id, newName, availabilityZone).Name, Is.EqualTo(newName));
        Assert.That(_client.GetAggregate(aggregate.Id).AvailabilityZone, Is.EqualTo(availabilityZone));
        Assert.That(_client.ListAggregates().Count(a => a.Hosts.Contains(Host) && a.AvailabilityZone is not null), Is.EqualTo(1));
    }

    /// <summary>Tempest's data_utils.rand_name.</summary>
    internal static string RandName(string name) => $"{name}-{Random.Shared.Next(100_000_000):D8}";
}

/// <summary>
/// A fixture-wide lock, as Tempest holds some locks from setUpClass to tearDownClass: one availability zone aggregate
/// is made in OneTimeSetUp, shared by the tests, and deleted after OneTimeTearDown, all while the lock is held.
/// </summary>
[ExternalLock("availability_zone", Prefix = "tempest-", Scope = LockScope.Fixture)]
public sealed class AvailabilityZoneAggregateTest : TestLocksFixture
{
    private const string Host = "compute-1";
    private static readonly FileCloud s_client = FileCloud.FromEnvironment();
    private Aggregate _aggregate = null!;

    [OneTimeSetUp]
    public void CreateZone()
    {
        _aggregate = s_client.CreateAggregate(AggregatesAdminTest.RandName("test_zone"), "zone-north");
        AddCleanup(() => s_client.DeleteAggregate(_aggregate.Id));
        s_client.AddHost(_aggregate.Id, Host);
        AddCleanup(() => s_client.RemoveHost(_aggregate.Id, Host));
    }

    [Test]
    public void test_host_is_in_the_zone() =>
        Assert.That(s_client.GetAggregate(_aggregate.Id).Hosts, Is.EqualTo(new[] { Host }));

    [Test]
    public void test_no_other_zone_holds_the_host() =>
        Assert.That(s_client.ListAggregates().Where(a => a.Hosts.Contains(Host) && a.AvailabilityZone is not null).Select(a => a.Id),
            Is.EqualTo(new[] { _aggregate.Id }));
}
