using TestLocks.Testing;

namespace TestLocks.Adapters;

/// <summary>
/// An attribute that asks for locks for the tests it marks (on a method, a class or an assembly). Every framework
/// package's <c>[ExternalLock]</c> and <c>[Serial]</c> implement it; <see cref="LockedTest"/> collects the requests of
/// every level and adds the one <c>[Serial]</c> rule. A team's own attribute can implement it too (for example
/// <c>[UsesQuota]</c> asking for <c>new LockRequest("quota")</c>) on a framework package that finds attributes by it.
/// </summary>
public interface ILockRequestSource
{
    /// <summary>The locks this attribute asks for in <paramref name="testCase"/>.</summary>
    /// <exception cref="TestLocksException">A name template or provider does not fit the test case; the test fails with it.</exception>
    IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase);
}
