using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TestLocks.Diagnostics;

/// <summary>The one ActivitySource and Meter of TestLocks (see <see cref="LockTelemetry"/>), and their instruments.</summary>
internal static class LockInstruments
{
    private static readonly string? s_version = typeof(LockInstruments).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(LockTelemetry.ActivitySourceName, s_version);
    public static readonly Meter Meter = new(LockTelemetry.MeterName, s_version);

    /// <summary>How long each acquire waited (zero when the lock was free), in seconds.</summary>
    public static readonly Histogram<double> WaitTime = Meter.CreateHistogram<double>("testlocks.lock.wait.duration", "s",
        "How long an acquire waited for its lock (zero when it was free).");

    /// <summary>How long each lock was held, in seconds.</summary>
    public static readonly Histogram<double> HoldTime = Meter.CreateHistogram<double>("testlocks.lock.hold.duration", "s",
        "How long a lock was held, from acquire to release.");

    /// <summary>Locks taken.</summary>
    public static readonly Counter<long> Holds = Meter.CreateCounter<long>("testlocks.lock.holds", "{hold}", "Locks taken.");

    /// <summary>Acquires that ran out of time.</summary>
    public static readonly Counter<long> Timeouts = Meter.CreateCounter<long>("testlocks.lock.timeouts", "{timeout}", "Acquires that ran out of time.");

    /// <summary>Acquires waiting now.</summary>
    public static readonly UpDownCounter<long> Waiters = Meter.CreateUpDownCounter<long>("testlocks.lock.waiters", "{waiter}", "Acquires waiting now.");

    /// <summary>Tests that came back from a lock wait with none of their runner's parallel slots free, and ran over the
    /// limit until the next test ended (see <c>Testing/RunnerSlot</c>).</summary>
    public static readonly Counter<long> Overdrafts = Meter.CreateCounter<long>("testlocks.runner.overdrafts", "{test}",
        "Tests that came back from a lock wait with no runner slot free and ran over the slot limit for a moment.");

    /// <summary>Whether anything listens to a span or an instrument: the one check the uncontended path pays.</summary>
    public static bool Active => Source.HasListeners() || Holds.Enabled || WaitTime.Enabled || HoldTime.Enabled || Timeouts.Enabled || Waiters.Enabled;
}
