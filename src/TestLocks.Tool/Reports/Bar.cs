namespace TestLocks.Tool.Reports;

/// <summary>A wait for a lock or a hold of it, by one test of one process.</summary>
internal sealed record Bar(RunProcess Process, string Kind, string Lock, string Mode, string Test, DateTime Start)
{
    public DateTime End { get; set; }
    /// <summary>"acquired", "timeout", "abandon", "released", or "unfinished" (the journal ends first).</summary>
    public string Outcome { get; set; } = "unfinished";
    public string? Holder { get; set; }
    public bool Critical { get; set; }
    public TimeSpan Duration => End - Start;
}
