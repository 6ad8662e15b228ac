using TestLocks;
using TestLocks.Bench;
using TestLocks.Xunit;
using Xunit;

#if XUNIT_V3
namespace TestLocks.Bench.XunitV3;
#else
namespace TestLocks.Bench.XunitV2;
#endif

/// <summary>BENCH_TESTS empty test cases that each hold one named lock (and, like every test of an assembly with the
/// hook, the serial lock's read side). Its read side, so that a test never waits for the previous one's release: the
/// figure is overhead, not hand-off.</summary>
public sealed class Marked
{
    private static readonly string s_label = Label.Of("marked");

    public static TheoryData<int> Rows => [.. PerTestClock.Rows];

    [Theory, ExternalLock("bench-marked", Mode = LockMode.Read)]
    [MemberData(nameof(Rows))]
    public void Test(int row) => PerTestClock.Ran(s_label);
}

/// <summary>The same test cases without an attribute.</summary>
public sealed class Unmarked
{
    private static readonly string s_label = Label.Of("unmarked");

    public static TheoryData<int> Rows => [.. PerTestClock.Rows];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Test(int row) => PerTestClock.Ran(s_label);
}

/// <summary>The same test cases with an attribute that xUnit runs before and after each test, as it runs TestLocks'
/// attributes (they check that the test went through TestLocks' hook), and that does nothing: what xUnit itself
/// charges for such an attribute.</summary>
public sealed class BeforeAfterOnly
{
    private static readonly string s_label = Label.Of("do-nothing");

    public static TheoryData<int> Rows => [.. PerTestClock.Rows];

    [Theory, NoOpBeforeAfter]
    [MemberData(nameof(Rows))]
    public void Test(int row) => PerTestClock.Ran(s_label);
}

/// <summary>Does nothing before and after a test.</summary>
[AttributeUsage(AttributeTargets.Method)]
#if XUNIT_V3
public sealed class NoOpBeforeAfterAttribute : global::Xunit.v3.BeforeAfterTestAttribute;
#else
public sealed class NoOpBeforeAfterAttribute : global::Xunit.Sdk.BeforeAfterTestAttribute;
#endif

internal static class Label
{
#if XUNIT_V3
    public static string Of(string kind) => "xUnit-v3 " + kind;
#else
    public static string Of(string kind) => "xUnit-v2 " + kind;
#endif
}
