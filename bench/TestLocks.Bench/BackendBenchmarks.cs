using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Medallion.Threading;

namespace TestLocks.Bench;

/// <summary>
/// Acquire+release of one uncontended lock on a server backend, TestLocks against DistributedLock used directly (the
/// baseline of each backend). The servers' URLs come from BENCH_POSTGRES_URL and BENCH_REDIS_URL (bench/backends.sh
/// starts loopback servers and sets them).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SlowBuildConfig))]
[SimpleJob(BenchmarkDotNet.Jobs.RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class BackendBenchmarks
{
    private TestLock _testLock = null!;
    private IDistributedLock _direct = null!;

    [Params("postgresql", "redis")]
    public string Backend { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var variable = Backend == "redis" ? "BENCH_REDIS_URL" : "BENCH_POSTGRES_URL";
        var url = Environment.GetEnvironmentVariable(variable) ?? throw new InvalidOperationException($"{variable} is not set: run bench/backends.sh");
        _testLock = new LockFactory(new TestLocksSettings { BackendUrl = url }).CreateLock("bench-testlocks");
        _direct = DirectLocks.ForUrl(url).CreateLock("bench-direct");
    }

    [Benchmark(Baseline = true, Description = "DistributedLock: Acquire + Dispose")]
    public void Direct()
    {
        using (_direct.Acquire()) { }
    }

    [Benchmark(Description = "TestLocks: Acquire + Dispose")]
    public void TestLocks()
    {
        using (_testLock.Acquire()) { }
    }

    [Benchmark(Description = "DistributedLock: await AcquireAsync + DisposeAsync")]
    public async Task DirectAsync()
    {
        await using (await _direct.AcquireAsync()) { }
    }

    [Benchmark(Description = "TestLocks: await AcquireAsync + DisposeAsync")]
    public async Task TestLocksAsync()
    {
        await using (await _testLock.AcquireAsync()) { }
    }
}

/// <summary>BenchmarkDotNet builds its boilerplate project first; on a shared 2-core machine that runs the servers too,
/// its default two minutes are not always enough.</summary>
public sealed class SlowBuildConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public SlowBuildConfig() => WithBuildTimeout(TimeSpan.FromMinutes(10));
}
