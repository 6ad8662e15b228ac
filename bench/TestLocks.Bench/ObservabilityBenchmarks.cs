using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using TestLocks.Diagnostics;

namespace TestLocks.Bench;

/// <summary>What seeing the locks costs per uncontended acquire+release: the OpenTelemetry hooks with nothing listening
/// (the default), with an ActivityListener and a MeterListener taking every span and measurement, and the run journal
/// (two lines per acquire+release). BenchmarkDotNet runs each case in a process of its own, so a listener set up for
/// one case never sees another.</summary>
[MemoryDiagnoser]
[SimpleJob(BenchmarkDotNet.Jobs.RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ObservabilityBenchmarks
{
    private string _dir = "";
    private TestLock _lock = null!;
    private TestLock _journaled = null!;
    private ActivityListener? _activities;
    private MeterListener? _meters;
    private RunJournal _journal = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("testlocks-bench-").FullName;
        var settings = new TestLocksSettings { LockPath = _dir };
        _lock = new LockFactory(settings).CreateLock("bench");
        var journaled = new LockFactory(settings with { EventsPath = Path.Join(_dir, "events") });
        _journaled = journaled.CreateLock("bench-journal");
        _journal = RunJournal.For(Path.Join(_dir, "events-direct"), journaled.Log);
    }

    [GlobalSetup(Target = nameof(Listened))]
    public void SetupListeners()
    {
        Setup();
        _activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == LockTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener { InstrumentPublished = (i, l) => { if (i.Meter.Name == LockTelemetry.MeterName) l.EnableMeasurementEvents(i); } };
        _meters.SetMeasurementEventCallback<double>((_, _, _, _) => { });
        _meters.SetMeasurementEventCallback<long>((_, _, _, _) => { });
        _meters.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _activities?.Dispose();
        _meters?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "Acquire + Dispose, nothing listening, journal off (the default)")]
    public void Default()
    {
        using (_lock.Acquire()) { }
    }

    [Benchmark(Description = "the hooks alone, nothing listening, journal off (what the default pays for telemetry)")]
    public Activity? HooksOff()
    {
        var trace = new LockTrace();
        var hold = trace.Acquired(_lock, "pid 1", TimeSpan.Zero);
        var now = Stopwatch.GetTimestamp();
        LockTrace.Released(_lock, "pid 1", now, hold, now);
        return hold;
    }

    [Benchmark(Description = "Acquire + Dispose, ActivityListener + MeterListener on TestLocks")]
    public void Listened()
    {
        using (_lock.Acquire()) { }
    }

    [Benchmark(Description = "Acquire + Dispose, journal on (2 lines)")]
    public void Journaled()
    {
        using (_journaled.Acquire()) { }
    }

    [Benchmark(Description = "one journal line (RunJournal.Write)")]
    public void JournalLine() => _journal.Write("acquire", "bench", LockMode.Write, "Tests.Bench", TimeSpan.FromMilliseconds(1));
}
