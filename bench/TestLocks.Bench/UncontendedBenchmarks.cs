using BenchmarkDotNet.Attributes;

namespace TestLocks.Bench;

/// <summary>Acquire+release with nobody contending: what every marked test pays.</summary>
[MemoryDiagnoser]
[SimpleJob(BenchmarkDotNet.Jobs.RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class UncontendedBenchmarks
{
    private string _dir = "";
    private TestLock _external = null!;
    private TestLock _internal = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("testlocks-bench-").FullName;
        var factory = new LockFactory(new TestLocksSettings { LockPath = _dir });
        _external = factory.CreateLock("bench");
        _internal = factory.CreateLock("bench-internal", new LockOptions { External = false });
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(Baseline = true, Description = "external lock: Acquire + Dispose")]
    public void External()
    {
        using (_external.Acquire()) { }
    }

    [Benchmark(Description = "external lock: await AcquireAsync + DisposeAsync")]
    public async Task ExternalAsync()
    {
        await using (await _external.AcquireAsync()) { }
    }

    [Benchmark(Description = "in-process lock: Acquire + Dispose")]
    public void Internal()
    {
        using (_internal.Acquire()) { }
    }
}
