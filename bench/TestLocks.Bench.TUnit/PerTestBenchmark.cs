using TestLocks;
using TestLocks.TUnit;
using TUnit.Core.Enums;
using TUnit.Core.Interfaces;

namespace TestLocks.Bench.TUnit;

/// <summary>BENCH_TESTS empty test cases that each hold one named lock and the serial lock's read side. Its read side,
/// so that a test never waits for the previous one's release: the figure is overhead, not hand-off.</summary>
public sealed class Marked
{
    [Test, ExternalLock("bench-marked", Mode = LockMode.Read)]
    [MethodDataSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => PerTestClock.Ran("TUnit marked");
}

/// <summary>The same test cases without an attribute.</summary>
public sealed class Unmarked
{
    [Test]
    [MethodDataSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => PerTestClock.Ran("TUnit unmarked");
}

/// <summary>The same test cases with an attribute that receives the same test events as TestLocks' and does nothing:
/// what TUnit itself charges for a start/end receiver.</summary>
public sealed class ReceiverOnly
{
    [Test, NoOpReceiver]
    [MethodDataSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => PerTestClock.Ran("TUnit do-nothing");
}

/// <summary>A start (Early) and end (Late) receiver that does nothing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NoOpReceiverAttribute : Attribute, ITestStartEventReceiver, ITestEndEventReceiver
{
    public int Order => int.MinValue;

    EventReceiverStage ITestStartEventReceiver.Stage => EventReceiverStage.Early;

    EventReceiverStage ITestEndEventReceiver.Stage => EventReceiverStage.Late;

    public ValueTask OnTestStart(TestContext context) => ValueTask.CompletedTask;

    public ValueTask OnTestEnd(TestContext context) => ValueTask.CompletedTask;
}
