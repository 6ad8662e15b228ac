using TestLocks;
using TestLocks.NUnit;

namespace TestLocks.Bench.NUnit;

/// <summary>BENCH_TESTS empty test cases that each hold one named lock (and, like every test of an assembly with
/// TestLocksAssembly, which the package adds, the serial lock's read side). Its read side, so that a test never waits
/// for the previous one's release: the figure is overhead, not hand-off.</summary>
public sealed class Marked
{
    [OneTimeSetUp]
    public static void Start() => PerTestClock.Start("NUnit marked");

    [Test, ExternalLock("bench-marked", Mode = LockMode.Read)]
    [TestCaseSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => PerTestClock.Ran("NUnit marked");

    [OneTimeTearDown]
    public static void Stop() => PerTestClock.StopCounted("NUnit marked");
}

/// <summary>The same test cases without an attribute.</summary>
public sealed class Unmarked
{
    [OneTimeSetUp]
    public static void Start() => PerTestClock.Start("NUnit unmarked");

    [Test]
    [TestCaseSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => PerTestClock.Ran("NUnit unmarked");

    [OneTimeTearDown]
    public static void Stop() => PerTestClock.StopCounted("NUnit unmarked");
}
