using TestLocks.Testing;

namespace TestLocks.Diagnostics;

/// <summary>
/// The test case a flow runs, as OpenTelemetry's test conventions name it on TestLocks' spans: <c>test.case.name</c>
/// (the case's display name, as the framework's own test span names it) and <c>test.suite.name</c> (its class's name).
/// <see cref="Adapters.LockedTest"/> sets it for the flow of the test and of its acquire.
/// </summary>
internal static class TestSpanNames
{
    public const string CaseName = "test.case.name";
    public const string SuiteName = "test.suite.name";

    private static readonly AsyncLocal<TestCaseInfo?> s_current = new();

    /// <summary>The test case of this flow, or null.</summary>
    public static TestCaseInfo? Current => s_current.Value;

    /// <summary>Names <paramref name="testCase"/> the test case of this flow until the returned scope is disposed.</summary>
    public static IDisposable Enter(TestCaseInfo testCase)
    {
        var previous = s_current.Value;
        s_current.Value = testCase;
        return new Scope(previous);
    }

    private sealed class Scope(TestCaseInfo? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) s_current.Value = previous;
        }
    }
}
