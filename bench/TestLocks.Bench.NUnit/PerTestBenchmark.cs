using TestLocks;
using TestLocks.NUnit;

namespace TestLocks.Bench.NUnit;

/// <summary>Runs first (NUnit orders fixtures by name) and is not timed: through VSTest, NUnit's adapter runs every class
/// of an assembly when more than its AssemblySelectLimit (2,000) tests are selected, so all classes run in one process,
/// and without this the first timed class would pay the process's warm-up (the JIT, the adapter) alone.</summary>
public sealed class A_WarmUp
{
    [Test]
    [TestCaseSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => _ = row;
}

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
