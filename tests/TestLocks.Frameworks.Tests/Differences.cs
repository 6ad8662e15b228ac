namespace TestLocks.Frameworks.Tests;

/// <summary>
/// Every real difference between the frameworks that makes a contract scenario not apply to one of them, in one place:
/// a scenario skips itself with one of these reasons, and nothing else in the contract skips. A missing prerequisite is
/// never a reason: the contract needs only the .NET SDK and the fixture suites built with it.
/// </summary>
internal static class Differences
{
    /// <summary>TUnit and NUnit run TestLocks' attributes themselves (a test-start receiver, an NUnit wrapper): a project
    /// that uses them cannot lack a hook or a registration, so there is no "not wired" message to show.</summary>
    public const string NothingToWire =
        "TUnit and NUnit run TestLocks' attributes themselves: a project cannot lack TestLocks' hook or registration, so there is no not-wired message.";
}
