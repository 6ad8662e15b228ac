using System.Text.Json;

namespace TestLocks.Samples.Cloud;

/// <summary>
/// The compute admin API of a tiny cloud kept in one JSON file: host aggregates, their availability zones and hosts.
/// Like a real API it has latency and no transactions: every call reads the file, waits, changes the state and writes it
/// back. Two test processes changing it at once lose each other's changes, and nova's rules (a host is in one
/// availability zone only; an aggregate with hosts cannot be deleted) turn the races into failing tests.
/// </summary>
public sealed class FileCloud(string path, TimeSpan latency)
{
    /// <summary>The environment variable naming the cloud's file; the demo sets it.</summary>
    public const string Variable = "SAMPLE_CLOUD";

    /// <summary>The cloud in <c>$SAMPLE_CLOUD</c> (default: a file in the temp directory), with 40 ms of latency per call.</summary>
    public static FileCloud FromEnvironment() => new(
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } file ? file : Path.Combine(Path.GetTempPath(), "testlocks-sample-cloud.json"),
        TimeSpan.FromMilliseconds(40));

    public Aggregate CreateAggregate(string name, string? availabilityZone = null) => Change(state =>
    {
        if (state.Aggregates.Any(a => a.Name == name)) throw new CloudException(409, $"aggregate name {name} already exists");
        var aggregate = new Aggregate(++state.LastId, name, availabilityZone, []);
        state.Aggregates.Add(aggregate);
        return aggregate;
    });

    public Aggregate UpdateAggregate(int id, string name, string? availabilityZone) =>
        Change(state => Replace(state, Find(state, id) with { Name = name, AvailabilityZone = availabilityZone }));

    public void DeleteAggregate(int id) => Change(state =>
    {
        var aggregate = Find(state, id);
        if (aggregate.Hosts.Count > 0) throw new CloudException(409, $"aggregate {id} still has hosts {string.Join(", ", aggregate.Hosts)}");
        return state.Aggregates.Remove(aggregate);
    });

    public Aggregate AddHost(int id, string host) => Change(state =>
    {
        var aggregate = Find(state, id);
        if (aggregate.Hosts.Contains(host)) throw new CloudException(409, $"host {host} is already in aggregate {id}");
        var zone = state.Aggregates.Where(a => a.Hosts.Contains(host) && a.AvailabilityZone is not null).Select(a => a.AvailabilityZone).FirstOrDefault();
        if (zone is not null && aggregate.AvailabilityZone is not null && zone != aggregate.AvailabilityZone)
        {
            throw new CloudException(409, $"host {host} is already in availability zone {zone}, so it cannot join {aggregate.AvailabilityZone}");
        }
        return Replace(state, aggregate with { Hosts = [.. aggregate.Hosts, host] });
    });

    public Aggregate RemoveHost(int id, string host) => Change(state =>
    {
        var aggregate = Find(state, id);
        if (!aggregate.Hosts.Contains(host)) throw new CloudException(404, $"host {host} is not in aggregate {id}");
        return Replace(state, aggregate with { Hosts = aggregate.Hosts.Where(h => h != host).ToList() });
    });

    public Aggregate GetAggregate(int id) => Find(Read(), id);

    public IReadOnlyList<Aggregate> ListAggregates() => Read().Aggregates;

    private static Aggregate Find(State state, int id) =>
        state.Aggregates.FirstOrDefault(a => a.Id == id) ?? throw new CloudException(404, $"aggregate {id} not found");

    private static Aggregate Replace(State state, Aggregate aggregate)
    {
        state.Aggregates[state.Aggregates.FindIndex(a => a.Id == aggregate.Id)] = aggregate;
        return aggregate;
    }

    private T Change<T>(Func<State, T> change)
    {
        var state = Read();
        Thread.Sleep(latency); // the API's latency: another caller may read the same state meanwhile
        var result = change(state);
        var temporary = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state));
        File.Move(temporary, path, overwrite: true); // whole-file replace: never torn, but last writer wins
        return result;
    }

    private State Read()
    {
        Thread.Sleep(latency / 4);
        return File.Exists(path) ? JsonSerializer.Deserialize<State>(File.ReadAllText(path)) ?? new State() : new State();
    }

    private sealed class State
    {
        public int LastId { get; set; }

        public List<Aggregate> Aggregates { get; set; } = [];
    }
}
