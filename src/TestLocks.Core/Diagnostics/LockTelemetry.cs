namespace TestLocks.Diagnostics;

/// <summary>
/// The names under which TestLocks reports its locks to OpenTelemetry, through <c>System.Diagnostics</c> only (no
/// OpenTelemetry package needed): an <see cref="System.Diagnostics.ActivitySource"/> with a span per wait
/// (<c>testlocks.wait</c>) and per hold (<c>testlocks.hold</c>), and a <see cref="System.Diagnostics.Metrics.Meter"/>
/// with the wait time histogram, holds, timeouts and current waiters. Subscribe with
/// <c>.AddSource(LockTelemetry.ActivitySourceName)</c> and <c>.AddMeter(LockTelemetry.MeterName)</c>.
/// </summary>
/// <remarks>Spans carry the tags <c>testlocks.lock</c>, <c>testlocks.mode</c>, <c>testlocks.backend</c>,
/// <c>testlocks.test</c> and, on a wait, <c>testlocks.holder</c> (who held the lock when the wait began); a test's locks
/// also carry OpenTelemetry's test conventions <c>test.case.name</c> (the case's display name) and <c>test.suite.name</c>
/// (its class's name). A span's parent is the <see cref="System.Diagnostics.Activity.Current"/> of the flow that takes
/// the lock: under TUnit, its span of the test ("test case"). With no listener the cost is one check per acquire and
/// release.</remarks>
public static class LockTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name: "TestLocks".</summary>
    public const string ActivitySourceName = "TestLocks";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name: "TestLocks".</summary>
    public const string MeterName = "TestLocks";
}
