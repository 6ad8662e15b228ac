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
