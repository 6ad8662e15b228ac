using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using TestLocks.Testing;

namespace TestLocks.NUnit.Execution;

/// <summary>
/// Takes the locks a test or a fixture asks for with TestLocks attributes: the merged names, plus the serial lock
/// (its write side for [Serial], its read side otherwise), less what an enclosing fixture already holds. One
/// <see cref="LockSet"/> call takes them in ordinal order, waiting reported live, and the test's result says how long it waited.
/// </summary>
internal static class ScopeLocks
{
    /// <summary>Takes the locks of <paramref name="attributes"/> for <paramref name="test"/>; null when there is nothing to take.</summary>
    /// <exception cref="LockTimeoutException">A lock was not acquired within lock_timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    /// <exception cref="TestLocksException">The test asks to write a lock its fixture holds for reading, or a lock name
    /// template or provider does not fit the test case.</exception>
    public static LockSetHandle? Acquire(ITest test, IReadOnlyList<TestLocksAttribute> attributes, WaitLog waits, CancellationToken cancellationToken)
    {
        if (attributes.Count == 0) return null;
        var testCase = new TestCaseInfo(test.TypeInfo?.Type ?? typeof(object), test.Method?.MethodInfo, test.Arguments, test.Name);
        var requests = attributes.SelectMany(a => a.RequestsFor(testCase)).ToList();
        if (!attributes.OfType<SerialAttribute>().Any()) requests.Add(LockRequest.NotSerial());
        requests = WithoutHeldAround(test, requests);
        if (requests.Count == 0) return null;
        var options = new LockSetOptions { Owner = test.FullName, OnWaiting = WaitReporter.For(waits) };
        var locks = LockSet.Acquire(requests, factory: null, options, cancellationToken);
        if (waits.Summary(locks) is { } summary) WaitReporter.Record(test, summary);
        return locks;
    }

    /// <summary>Drops the requests an enclosing fixture already satisfies: taking them again would wait on ourselves.</summary>
    private static List<LockRequest> WithoutHeldAround(ITest test, List<LockRequest> requests)
    {
        var held = Scopes.HeldAround(test);
        if (held.Count == 0) return requests;
        var factory = LockFactory.Default;
        var remaining = new List<LockRequest>(requests.Count);
        foreach (var byName in requests.GroupBy(r => factory.CreateReaderWriterLock(r.Name, new LockOptions { Prefix = r.Prefix }).Name, StringComparer.Ordinal))
        {
            if (!held.TryGetValue(byName.Key, out var heldMode))
            {
                remaining.AddRange(byName);
                continue;
            }
            if (heldMode == LockMode.Read && byName.Any(r => r.Mode == LockMode.Write))
            {
                throw new TestLocksException(
                    $"{test.FullName} asks for lock \"{byName.Key}\" for writing, but its fixture holds it for reading from " +
                    "OneTimeSetUp to OneTimeTearDown, and a held read lock cannot be upgraded. Ask for it for writing at " +
                    "fixture scope (Mode = LockMode.Write, or [Serial(Scope = LockScope.Fixture)] for the serial lock), " +
                    "or drop one of the two requests.");
            }
        }
        return remaining;
    }
}
