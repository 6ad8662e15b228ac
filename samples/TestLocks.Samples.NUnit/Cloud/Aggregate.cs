namespace TestLocks.Samples.Cloud;

// Cloud/ is the samples' fake cloud, kept inside this project until it is unified with the xUnit samples' one:
// the same type names, members and SAMPLE_CLOUD variable, so this folder can be replaced by a project reference.

/// <summary>A host aggregate, as nova's os-aggregates API shows it.</summary>
public sealed record Aggregate(int Id, string Name, string? AvailabilityZone, IReadOnlyList<string> Hosts);
