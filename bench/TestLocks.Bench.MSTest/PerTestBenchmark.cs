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
    [ClassInitialize]
    public static void Start(TestContext context) => PerTestClock.Start();

    [TestMethod, ExternalLock("bench-marked", Mode = LockMode.Read)]
    [DynamicData(nameof(PerTestClock.Rows), typeof(PerTestClock))]
    public void Test(int row) => _ = row;

    [ClassCleanup]
    public static void Stop() => PerTestClock.Stop("MSTest marked");
}

/// <summary>The same tests without an attribute.</summary>
[TestClass]
public sealed class Unmarked
{
    [ClassInitialize]
    public static void Start(TestContext context) => PerTestClock.Start();

    [TestMethod]
    [DynamicData(nameof(PerTestClock.Rows), typeof(PerTestClock))]
    public void Test(int row) => _ = row;

    [ClassCleanup]
    public static void Stop() => PerTestClock.Stop("MSTest unmarked");
}
