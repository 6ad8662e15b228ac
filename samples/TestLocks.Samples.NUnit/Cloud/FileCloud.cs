using System.Text.Json;

namespace TestLocks.Samples.Cloud;

/// <summary>
/// A tiny compute admin API whose whole state is one JSON file of host aggregates. Each call reads the file, waits
/// like a remote API would, applies nova's rules and writes the file back, with no transaction: two processes calling
/// at once overwrite each other's changes, and the rules (one availability zone per host, no deleting an aggregate
/// that still has hosts) turn such races into failing tests. Exactly what Tempest's "availability_zone" lock prevents.
/// </summary>
public sealed class FileCloud(string path, TimeSpan latency)
{
    /// <summary>The environment variable that names the cloud's file.</summary>
    public const string Variable = "SAMPLE_CLOUD";

    /// <summary>The cloud named by <c>$SAMPLE_CLOUD</c>, or one in the temp directory, answering in about 40 ms.</summary>
    public static FileCloud FromEnvironment()
    {
        var file = Environment.GetEnvironmentVariable(Variable);
        return new FileCloud(string.IsNullOrEmpty(file) ? Path.Combine(Path.GetTempPath(), "testlocks-sample-cloud.json") : file, TimeSpan.FromMilliseconds(40));
    }

    public Aggregate CreateAggregate(string name, string? availabilityZone = null) => Update(aggregates =>
    {
        if (aggregates.Exists(a => a.Name == name)) throw new CloudException(409, $"aggregate name {name} already exists");
        var created = new Aggregate(aggregates.Count == 0 ? 1 : aggregates.Max(a => a.Id) + 1, name, availabilityZone, []);
        aggregates.Add(created);
        return created;
    });

    public Aggregate UpdateAggregate(int id, string name, string? availabilityZone) =>
        Update(aggregates => Put(aggregates, Get(aggregates, id) with { Name = name, AvailabilityZone = availabilityZone }));

    public void DeleteAggregate(int id) => Update(aggregates =>
    {
        var aggregate = Get(aggregates, id);
        if (aggregate.Hosts.Count > 0) throw new CloudException(409, $"aggregate {id} still has hosts: {string.Join(", ", aggregate.Hosts)}");
        aggregates.Remove(aggregate);
        return aggregate;
    });

    public Aggregate AddHost(int id, string host) => Update(aggregates =>
    {
        var aggregate = Get(aggregates, id);
        if (aggregate.Hosts.Contains(host)) throw new CloudException(409, $"host {host} is already in aggregate {id}");
        var otherZone = aggregates.Find(a => a.Id != id && a.Hosts.Contains(host) && a.AvailabilityZone is not null)?.AvailabilityZone;
        if (otherZone is not null && aggregate.AvailabilityZone is not null && otherZone != aggregate.AvailabilityZone)
        {
            throw new CloudException(409, $"host {host} is in availability zone {otherZone} and cannot also be in {aggregate.AvailabilityZone}");
        }
        return Put(aggregates, aggregate with { Hosts = [.. aggregate.Hosts, host] });
    });

    public Aggregate RemoveHost(int id, string host) => Update(aggregates =>
    {
        var aggregate = Get(aggregates, id);
        if (!aggregate.Hosts.Contains(host)) throw new CloudException(404, $"host {host} is not in aggregate {id}");
        return Put(aggregates, aggregate with { Hosts = [.. aggregate.Hosts.Where(h => h != host)] });
    });

    public Aggregate GetAggregate(int id) => Get(Load(), id);

    public IReadOnlyList<Aggregate> ListAggregates() => Load();

    private static Aggregate Get(List<Aggregate> aggregates, int id) =>
        aggregates.Find(a => a.Id == id) ?? throw new CloudException(404, $"aggregate {id} not found");

    private static Aggregate Put(List<Aggregate> aggregates, Aggregate changed)
    {
        aggregates[aggregates.FindIndex(a => a.Id == changed.Id)] = changed;
        return changed;
    }

    /// <summary>Read, think, write: the window in which another caller's change gets lost.</summary>
    private T Update<T>(Func<List<Aggregate>, T> change)
    {
        var aggregates = Load();
        Thread.Sleep(latency);
        var result = change(aggregates);
        var next = $"{path}.{Environment.ProcessId}-{Environment.CurrentManagedThreadId}";
        File.WriteAllText(next, JsonSerializer.Serialize(aggregates));
        File.Move(next, path, overwrite: true);
        return result;
    }

    private List<Aggregate> Load() =>
        File.Exists(path) ? JsonSerializer.Deserialize<List<Aggregate>>(File.ReadAllText(path)) ?? [] : [];
}
