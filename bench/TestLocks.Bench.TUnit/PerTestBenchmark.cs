using TestLocks.TUnit;

namespace TestLocks.Bench.TUnit;

/// <summary>BENCH_TESTS empty test cases that each hold one named lock and the serial lock's read side.</summary>
public sealed class Marked
{
    [Before(HookType.Class)]
    public static void Start() => PerTestClock.Start();

    [Test, ExternalLock("bench-marked")]
    [MethodDataSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => _ = row;

    [After(HookType.Class)]
    public static void Stop() => PerTestClock.Stop("TUnit marked");
}

/// <summary>The same test cases without an attribute.</summary>
public sealed class Unmarked
{
    [Before(HookType.Class)]
    public static void Start() => PerTestClock.Start();

    [Test]
    [MethodDataSource(typeof(PerTestClock), nameof(PerTestClock.Rows))]
    public void Test(int row) => _ = row;

    [After(HookType.Class)]
    public static void Stop() => PerTestClock.Stop("TUnit unmarked");
}
