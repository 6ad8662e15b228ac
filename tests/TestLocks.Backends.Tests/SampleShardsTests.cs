using System.Diagnostics;
using System.Reflection;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// The demo's shards (3 xUnit v3, 1 xUnit v2, 1 NUnit, 1 MSTest and 1 TUnit test process on one shared cloud), pointed
/// at one server through TESTLOCKS_BACKEND_URL instead of lock files: the processes of all five frameworks exclude each
/// other there too.
/// The demo fails (exit code 1) unless every test of its locked run passes. Only that run is asked for (--locked-only):
/// the demo's first run, without process locking, takes no lock of any backend.
/// </summary>
public sealed class SampleShardsTests(SharedServers servers)
{
    private static readonly string DemoDll = typeof(SampleShardsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DemoDll").Value!;

    [Theory]
    [InlineData("postgresql")]
    [InlineData("redis")]
    public async Task XUnit_NUnit_MSTest_and_TUnit_test_processes_exclude_each_other_through_one_backend_url(string backend)
    {
        var url = backend == "redis" ? servers.Redis.Url() : servers.Postgres.Url();
        var start = new ProcessStartInfo("dotnet", [DemoDll, "--locked-only"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TESTLOCKS_BACKEND_URL"] = url;
        using var demo = Process.Start(start)!;
        var output = demo.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = demo.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(3));
        await demo.WaitForExitAsync(limit.Token);
        var text = await output;
        Assert.True(demo.ExitCode == 0, $"the demo's locked run failed on {backend}:\n{text}\n{await errors}");
        Assert.Contains("worker 5 (NUnit, dotnet test): 7 passed, 0 failed", text, StringComparison.Ordinal);
        Assert.Contains("worker 6 (MSTest, dotnet test): 5 passed, 0 failed", text, StringComparison.Ordinal);
        Assert.Contains("worker 7 (TUnit): 5 passed, 0 failed", text, StringComparison.Ordinal);
        Assert.Contains("Run 2 passed", text, StringComparison.Ordinal);

        // The exclusion came from the server: the locked run wrote no lock file at all.
        var workingDirectory = text.Split('\n').Single(l => l.StartsWith("Working directory: ", StringComparison.Ordinal))["Working directory: ".Length..].Trim();
        var lockPath = Path.Combine(workingDirectory, "run 2", "locks");
        Assert.False(Directory.Exists(lockPath) && Directory.EnumerateFileSystemEntries(lockPath).Any(), $"lock files were written in {lockPath}");
    }
}
