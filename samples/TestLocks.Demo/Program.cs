using System.Diagnostics;
using System.Reflection;
using TestLocks.Demo;

// The seed's scenario: Tempest's aggregate tests, which all change the one compute host's availability zone, run by
// several test processes at once against one shared cloud. First with disable_process_locking = true, as if the locks
// were only in-process: the processes trample each other's aggregates. Then with TestLocks' cross-process locks on.
string Metadata(string key) => typeof(Worker).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
var sampleV3 = Metadata("SampleV3");
var sampleV2 = Metadata("SampleV2");
var sampleNUnit = Metadata("SampleNUnit");
var sampleMSTest = Metadata("SampleMSTest");
var sampleTUnit = Metadata("SampleTUnit");
var root = Directory.CreateTempSubdirectory("testlocks-demo-").FullName;
(string Name, string Dll, Runner Runner)[] workers =
[
    ("worker 1 (xUnit v3)", sampleV3, Runner.XunitV3),
    ("worker 2 (xUnit v3)", sampleV3, Runner.XunitV3),
    ("worker 3 (xUnit v3)", sampleV3, Runner.XunitV3),
    ("worker 4 (xUnit v2, dotnet test)", sampleV2, Runner.DotnetTest),
    ("worker 5 (NUnit, dotnet test)", sampleNUnit, Runner.DotnetTest),
    ("worker 6 (MSTest, dotnet test)", sampleMSTest, Runner.DotnetTest),
    ("worker 7 (TUnit)", sampleTUnit, Runner.TestingPlatform),
];

Console.WriteLine($"TestLocks demo: {workers.Length} test processes run the aggregates suite at once against one file-backed cloud.");
Console.WriteLine($"Working directory: {root}");
// --locked-only: run 2 alone, for a caller that checks the locks, not the race without them (the backend tests).
var lockedOnly = args.Contains("--locked-only");
var (unlocked, _, _) = lockedOnly ? (false, TimeSpan.Zero, 0L) : await RunAsync("run 1", disableProcessLocking: true);
var (locked, lockedWall, lockedStart) = await RunAsync("run 2", disableProcessLocking: false);

Console.WriteLine();
Console.WriteLine("Per-lock summary of run 2 (all processes):");
var held = LockSummary.Print(Path.Combine(root, "run 2", "statistics"));
if (held.TryGetValue("tempest-availability_zone", out var zoneHeld) && zoneHeld > 0)
{
    // Every test holds the zone, so no schedule can beat the time it was held; the rest is start-up and hand-offs.
    Console.WriteLine($"  run 2 wall time {lockedWall.TotalSeconds:0.0}s = {lockedWall.TotalSeconds / zoneHeld:0.00} x the {zoneHeld:0.0}s the zone lock was held (process start-up included)");
    // The lower bound of issue 11: start-up (until the first lock of the run was taken) plus the busiest lock's held time.
    if (LockSummary.FirstAcquired(Path.Combine(root, "run 2", "statistics")) is { } first)
    {
        var startUp = Stopwatch.GetElapsedTime(lockedStart, first).TotalSeconds;
        Console.WriteLine($"  lower bound {startUp + zoneHeld:0.0}s = start-up {startUp:0.0}s (until the first lock was taken) + {zoneHeld:0.0}s zone lock held: run 2 took {lockedWall.TotalSeconds / (startUp + zoneHeld):0.00} x the lower bound");
    }
}
Console.WriteLine();
if (!lockedOnly) Console.WriteLine(unlocked ? "Run 1 passed by luck this time: the races did not hit." : "Run 1 failed: without cross-process locks the processes raced on the cloud.");
Console.WriteLine(locked ? "Run 2 passed: with cross-process locks every test ran alone on the availability zone." : "Run 2 FAILED: see above.");
return locked ? 0 : 1;

async Task<(bool AllPassed, TimeSpan Wall, long Started)> RunAsync(string run, bool disableProcessLocking)
{
    var directory = Path.Combine(root, run);
    Directory.CreateDirectory(directory);
    var config = Path.Combine(directory, "testlocks.conf");
    File.WriteAllText(config, $"""
        [oslo_concurrency]
        lock_path = {Path.Combine(directory, "locks")}
        disable_process_locking = {(disableProcessLocking ? "true" : "false")}
        """);
    if (Environment.GetEnvironmentVariable("TESTLOCKS_DEMO_EVENTS") is { Length: > 0 } events)
    {
        // The run journal of every test process, for `testlocks report` (build/demo.sh writes the timeline).
        File.AppendAllText(config, $"\n[testlocks]\nevents = {Path.Combine(events, run)}\n");
    }
    var environment = new Dictionary<string, string>
    {
        ["TESTLOCKS_CONFIG"] = config,
        ["SAMPLE_CLOUD"] = Path.Combine(directory, "cloud.json"),
        ["TESTLOCKS_DEMO_STATS"] = Path.Combine(directory, "statistics"),
    };
    Console.WriteLine();
    Console.WriteLine($"== {run}: disable_process_locking = {(disableProcessLocking ? "true (in-process locks only)" : "false (TestLocks' cross-process locks)")}");
    var started = Stopwatch.GetTimestamp();
    var clock = Stopwatch.StartNew();
    var running = workers.Select(w => Worker.Start(w.Name, w.Dll, w.Runner, directory, environment)).ToList();
    var allPassed = true;
    foreach (var worker in running)
    {
        var results = await worker.ResultsAsync();
        var failed = results.Where(r => !r.Passed).ToList();
        allPassed &= failed.Count == 0 && results.Count > 0;
        Console.WriteLine($"  {worker.Name}: {results.Count - failed.Count} passed, {failed.Count} failed");
        foreach (var f in failed) Console.WriteLine($"      FAIL {f.Test}: {f.Error}");
    }
    Console.WriteLine($"  {run} took {clock.Elapsed.TotalSeconds:0.0}s");
    return (allPassed, clock.Elapsed, started);
}
