namespace TestLocks.Frameworks.Tests;

/// <summary>
/// Every real difference between the frameworks that makes a contract scenario not apply to one of them, in one place:
/// a scenario skips itself with one of these reasons (or, for NoTestCancellation, takes the one other path it names), and nothing else in the contract skips. A missing prerequisite is
/// never a reason: the contract needs the .NET SDK, the fixture suites built with it, and redis-server (build/setup.sh).
/// </summary>
internal static class Differences
{
    /// <summary>TUnit and NUnit run TestLocks' attributes themselves (a test-start receiver, an NUnit wrapper): a project
    /// that uses them cannot lack a hook or a registration, so there is no "not wired" message to show.</summary>
    public const string NothingToWire =
        "TUnit and NUnit run TestLocks' attributes themselves: a project cannot lack TestLocks' hook or registration, so there is no not-wired message.";

    /// <summary>xUnit v2 has no cancellation for a running test (no token, no API to stop one): a lock lost while its test
    /// runs fails the test with LockLostException when it ends, not at once.</summary>
    public const string NoTestCancellation =
        "xUnit v2 cannot cancel a running test: a lost lock fails it with LockLostException as it ends, not at once.";
}
