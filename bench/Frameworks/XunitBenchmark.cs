using TestLocks;
using TestLocks.Bench;
using TestLocks.Xunit;
using Xunit;

#if XUNIT_V3
namespace TestLocks.Bench.XunitV3;
#else
namespace TestLocks.Bench.XunitV2;
#endif

/// <summary>Times a class from its first test to its last (a class fixture: created before the first, disposed after
/// the last), as the other benchmarks time theirs from class set-up to class clean-up.</summary>
public abstract class ClassClock : IDisposable
{
    private readonly string _label;

    protected ClassClock(string label)
    {
        _label = label;
        PerTestClock.Start();
    }

    public void Dispose() => PerTestClock.Stop(_label);
}

public sealed class MarkedClock() : ClassClock(Label.Of("marked"));

public sealed class UnmarkedClock() : ClassClock(Label.Of("unmarked"));

public sealed class BeforeAfterOnlyClock() : ClassClock(Label.Of("before-after-only"));

/// <summary>BENCH_TESTS empty test cases that each hold one named lock (and, like every test of an assembly with the
/// hook, the serial lock's read side). Its read side, so that a test never waits for the previous one's release: the
/// figure is overhead, not hand-off.</summary>
public sealed class Marked : IClassFixture<MarkedClock>
{
    public static TheoryData<int> Rows => [.. PerTestClock.Rows];

    [Theory, ExternalLock("bench-marked", Mode = LockMode.Read)]
    [MemberData(nameof(Rows))]
    public void Test(int row) => _ = row;
}

/// <summary>The same test cases without an attribute.</summary>
public sealed class Unmarked : IClassFixture<UnmarkedClock>
{
    public static TheoryData<int> Rows => [.. PerTestClock.Rows];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Test(int row) => _ = row;
}

/// <summary>The same test cases with an attribute that xUnit runs before and after each test, as it runs TestLocks'
/// attributes (they check that the test went through TestLocks' hook), and that does nothing: what xUnit itself
/// charges for such an attribute.</summary>
public sealed class BeforeAfterOnly : IClassFixture<BeforeAfterOnlyClock>
{
    public static TheoryData<int> Rows => [.. PerTestClock.Rows];

    [Theory, NoOpBeforeAfter]
    [MemberData(nameof(Rows))]
    public void Test(int row) => _ = row;
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
