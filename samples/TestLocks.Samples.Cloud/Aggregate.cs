namespace TestLocks.Samples.Cloud;

/// <summary>A host aggregate, as nova's os-aggregates API shows it.</summary>
public sealed record Aggregate(int Id, string Name, string? AvailabilityZone, IReadOnlyList<string> Hosts);
