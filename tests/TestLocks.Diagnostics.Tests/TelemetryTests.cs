using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TestLocks.Diagnostics;

namespace TestLocks.Diagnostics.Tests;

/// <summary>Lock spans and metrics as an OpenTelemetry user gets them: the real SDK, its in-memory exporters.</summary>
public sealed class TelemetryTests
{
    private static readonly ActivitySource s_tests = new("TestLocks.Diagnostics.Tests");

    [Fact]
    public async Task A_wait_and_a_hold_are_spans_under_the_test_naming_the_lock_the_test_and_the_holder_it_waited_for()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(LockTelemetry.ActivitySourceName, s_tests.Name).AddInMemoryExporter(spans).Build();
        using var dir = new LockDir();
        var name = LockDir.UniqueName("az");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name, "write", "Aggregates.test_add_host");
        var holderPid = int.Parse((await holder.WaitForLineAsync("HELD ")).Split(' ')[1]);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var @lock = dir.Factory.CreateLock(name, new LockOptions { Owner = "Aggregates.test_remove_host", OnWaiting = _ => waiting.TrySetResult() });

        Activity? test;
        using (test = s_tests.StartActivity("Aggregates.test_remove_host"))
        {
            var acquiring = @lock.AcquireAsync().AsTask();
            await waiting.Task;
            await holder.SendAsync("release");
            await using (await acquiring)
            {
                Assert.Same(test, Activity.Current); // the lock's spans do not become the test's context
            }
        }
        tracing.ForceFlush();

        var mine = spans.Where(s => (string?)s.GetTagItem("testlocks.lock") == name).ToList();
        var wait = Assert.Single(mine, s => s.OperationName == "testlocks.wait");
        var hold = Assert.Single(mine, s => s.OperationName == "testlocks.hold");
        Assert.All(mine, s => Assert.Equal(test!.SpanId, s.ParentSpanId));
        Assert.Equal($"wait for {name}", wait.DisplayName);
        Assert.Equal("write", wait.GetTagItem("testlocks.mode"));
        Assert.Equal("file", wait.GetTagItem("testlocks.backend"));
        Assert.Equal("Aggregates.test_remove_host", wait.GetTagItem("testlocks.test"));
        Assert.Equal(holderPid, wait.GetTagItem("testlocks.holder.pid"));
        Assert.Contains($"pid {holderPid} on {Environment.MachineName} (Aggregates.test_add_host)", (string?)wait.GetTagItem("testlocks.holder"));
        Assert.Equal(ActivityStatusCode.Unset, wait.Status);
        Assert.True(wait.StartTimeUtc + wait.Duration <= hold.StartTimeUtc + TimeSpan.FromMilliseconds(1));
        Assert.Equal("Aggregates.test_remove_host", hold.GetTagItem("testlocks.test"));
        Assert.True(hold.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Metrics_count_holds_timeouts_and_current_waiters_and_record_each_wait()
    {
        var metrics = new List<MetricSnapshot>();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(LockTelemetry.MeterName).AddInMemoryExporter(metrics).Build();
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(LockTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build();
        using var dir = new LockDir();
        var name = LockDir.UniqueName("quota");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name, "write", "Quotas.test_update");
        await holder.WaitForLineAsync("HELD ");

        // 1 s, not less: a timeout that runs out before the first try has failed (one loaded CI run took over 100 ms
        // there) never starts the wait, so it has no wait span to end in error.
        Assert.Throws<LockTimeoutException>(() => dir.Factory.CreateLock(name).Acquire(TimeSpan.FromSeconds(1)));
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var acquiring = dir.Factory.CreateLock(name, new LockOptions { OnWaiting = _ => waiting.TrySetResult() }).AcquireAsync().AsTask();
        await waiting.Task;
        metering.ForceFlush();
        Assert.Equal(1, Sum(metrics, "testlocks.lock.waiters", name));
        await holder.SendAsync("release");
        (await acquiring).Dispose();
        metrics.Clear();
        metering.ForceFlush();
        tracing.ForceFlush();

        Assert.Equal(0, Sum(metrics, "testlocks.lock.waiters", name));
        Assert.Equal(1, Sum(metrics, "testlocks.lock.timeouts", name));
        Assert.Equal(1, Sum(metrics, "testlocks.lock.holds", name));
        var waits = Points(metrics, "testlocks.lock.wait.duration", name).Single();
        Assert.Equal(1, waits.GetHistogramCount());
        Assert.True(waits.GetHistogramSum() > 0);
        Assert.Equal(1, Points(metrics, "testlocks.lock.hold.duration", name).Single().GetHistogramCount());
        var timedOut = Assert.Single(spans, s => (string?)s.GetTagItem("testlocks.lock") == name && s.Status == ActivityStatusCode.Error);
        Assert.Equal("testlocks.wait", timedOut.OperationName);
        Assert.StartsWith("timed out, held by pid", timedOut.StatusDescription);
    }

    private static IEnumerable<MetricPoint> Points(List<MetricSnapshot> metrics, string metric, string lockName)
    {
        foreach (var snapshot in metrics.Where(m => m.Name == metric))
        {
            foreach (var point in snapshot.MetricPoints)
            {
                foreach (var tag in point.Tags)
                {
                    if (tag.Key == "testlocks.lock" && (string?)tag.Value == lockName) yield return point;
                }
            }
        }
    }

    private static long Sum(List<MetricSnapshot> metrics, string metric, string lockName) => Points(metrics, metric, lockName).Sum(p => p.GetSumLong());
}
