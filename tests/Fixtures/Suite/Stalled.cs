namespace Fx.Stalled;

/// <summary>For a run whose output nobody reads (<c>dotnet test | less</c>, a stalled CI agent): this test waits first
/// for "stall-entry" (taken first: ordinal order), which the harness gives up once it has filled the output pipe, then for
/// "stall-lock", which the harness keeps, until its lock_timeout ends the wait.</summary>
public sealed class Waits() : JournaledTest("stall-entry,stall-lock")
{
    [Fact, ExternalLock("stall-entry", "stall-lock")]
    public void Fact() => Log("body");
}

/// <summary>Keeps the test process alive, without a lock, until the file that <c>FIXTURE_GATE</c> names exists, so that
/// the harness can see what the process writes once its output is read again.</summary>
public sealed class Lingers
{
    /// <summary>The environment variable that names the file the harness creates to end the test.</summary>
    public const string Variable = "FIXTURE_GATE";

    [Fact]
    public async Task Fact()
    {
        var gate = Environment.GetEnvironmentVariable(Variable) ?? throw new InvalidOperationException($"{Variable} is not set.");
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(gate)!, Path.GetFileName(gate)) { EnableRaisingEvents = true };
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Created += (_, _) => created.TrySetResult();
        if (!File.Exists(gate)) await created.Task.WaitAsync(TimeSpan.FromMinutes(3));
    }
}
