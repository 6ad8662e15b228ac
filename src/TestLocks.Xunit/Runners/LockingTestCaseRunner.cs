using System.Collections.Concurrent;
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestLocks.Xunit.Runners;

/// <summary>
/// xUnit's runner of a plain <see cref="XunitTestCase"/> (a fact, or a theory row enumerated at discovery), for
/// <see cref="LockingMethodRunner"/>, which has taken the case's locks: it leaves TestLocks' attributes out of the test's
/// before/after attributes. Run before a test, they only check that TestLocks' hook took its locks, which it did; xUnit
/// would charge each one four messages per test, and a reflection over every level that builds each attribute anew.
/// The reflection itself is skipped for a test method that has no other before/after attribute (found on its first case).
/// </summary>
internal sealed class LockingTestCaseRunner(IXunitTestCase testCase, IMessageBus messageBus, object[] constructorArguments,
    ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    : XunitTestCaseRunner(testCase, testCase.DisplayName, testCase.SkipReason, constructorArguments, testCase.TestMethodArguments, messageBus, aggregator, cancellationTokenSource)
{
    /// <summary>Whether the test method (of its class, in its collection) has before/after attributes other than TestLocks'.</summary>
    private static readonly ConcurrentDictionary<(Type TestClass, MethodInfo Method, Type? Collection), bool> s_hasOthers = new();

    /// <summary>Whether this runner runs <paramref name="testCase"/> as xUnit's own would (its exact type is xUnit's plain
    /// test case, whose RunAsync runs <see cref="XunitTestCaseRunner"/>; a derived case runs its own way).</summary>
    public static bool Runs(IXunitTestCase testCase) => testCase.GetType() == typeof(XunitTestCase);

    protected override List<BeforeAfterTestAttribute> GetBeforeAfterTestAttributes()
    {
        var key = (TestClass, TestMethod, (TestCase.TestMethod.TestClass.TestCollection.CollectionDefinition as IReflectionTypeInfo)?.Type);
        if (s_hasOthers.TryGetValue(key, out var hasOthers) && !hasOthers) return [];
        var attributes = base.GetBeforeAfterTestAttributes(); // new instances for this test, as xUnit makes them
        attributes.RemoveAll(a => a is LockingAttribute);
        s_hasOthers[key] = attributes.Count > 0;
        return attributes;
    }
}
