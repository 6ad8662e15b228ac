namespace TestLocks.Tool.Reports;

/// <summary>One process of a run, as its journal file tells it.</summary>
internal sealed record RunProcess(string File, string Host, int Pid, string Command)
{
    /// <summary>The test project (assembly) the process ran, as its journal names it; null in journals that do not.</summary>
    public string? Project { get; init; }

    /// <summary>How a person knows the process: its test project and pid ("Cloud.Tests, pid 42"), else its command.</summary>
    public string Name => Project is { Length: > 0 } project ? $"{project}, pid {Pid}" : $"pid {Pid} {ShortCommand(Command)}";

    private static string ShortCommand(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Path.GetFileName(w)).Take(4);
        var text = string.Join(' ', words);
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    public List<Bar> Bars { get; } = [];
    public DateTime First { get; set; } = DateTime.MaxValue;
    public DateTime Last { get; set; } = DateTime.MinValue;
}
