using TestLocks;
using TestLocks.Bench;
using TestLocks.MSTest;

namespace TestLocks.Bench.MSTest;

/// <summary>BENCH_TESTS empty tests that each hold one named lock (and, like every test of an assembly with the hook,
/// the serial lock's read side). Its read side, so that a test never waits for the previous one's release: the figure
/// is overhead, not hand-off.</summary>
[TestClass]
public sealed class Marked
{
    [TestMethod, ExternalLock("bench-marked", Mode = LockMode.Read)]
    [DynamicData(nameof(PerTestClock.Rows), typeof(PerTestClock))]
    public void Test(int row) => PerTestClock.Ran("MSTest marked");
}

/// <summary>The same tests without an attribute.</summary>
[TestClass]
public sealed class Unmarked
{
    [TestMethod]
    [DynamicData(nameof(PerTestClock.Rows), typeof(PerTestClock))]
    public void Test(int row) => PerTestClock.Ran("MSTest unmarked");
}

/// <summary>The same tests with a condition attribute, the kind TestLocks' attributes are (MSTest evaluates it before
/// each test), that is always met and does nothing else: what MSTest itself charges for such an attribute.</summary>
[TestClass]
public sealed class ConditionOnly
{
    [TestMethod, NoOpCondition]
    [DynamicData(nameof(PerTestClock.Rows), typeof(PerTestClock))]
    public void Test(int row) => PerTestClock.Ran("MSTest do-nothing");
}

/// <summary>A condition that is always met.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NoOpConditionAttribute() : ConditionBaseAttribute(ConditionMode.Include)
{
    public override string GroupName => "Bench";

    public override bool IsConditionMet => true;
}

/// <summary>The unmarked tests with BENCH_BUSY_US (default 20) µs of synchronous work in the body, on the test's own thread
/// and with no thread hop: what any test that runs that much longer costs the process beside its own CPU (the thread
/// pool's idle workers spin and sleep by how long a test lasts). Not run by bench/frameworks.sh; the control of the
/// MSTest experiment in docs/benchmarks.md (issue 21).</summary>
[TestClass]
public sealed class Busy
{
    private static readonly long s_ticks = (long)((int.TryParse(Environment.GetEnvironmentVariable("BENCH_BUSY_US"), out var us) ? us : 20)
        * System.Diagnostics.Stopwatch.Frequency / 1e6);

    [TestMethod]
    [DynamicData(nameof(PerTestClock.Rows), typeof(PerTestClock))]
    public void Test(int row)
    {
        var end = System.Diagnostics.Stopwatch.GetTimestamp() + s_ticks;
        while (System.Diagnostics.Stopwatch.GetTimestamp() < end)
        {
        }
        PerTestClock.Ran("MSTest busy");
    }
}
