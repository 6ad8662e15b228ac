using NUnit.Framework.Interfaces;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.NUnit.Execution;

/// <summary>
/// Starts the <see cref="LockedTest"/> of an NUnit test (its TestLocks attributes of every level, less what an enclosing
/// fixture already holds) or of a fixture that holds locks from OneTimeSetUp to OneTimeTearDown.
/// </summary>
internal static class ScopeLocks
{
    public static LockedTest StartTest(ITest test) =>
        LockedTest.Start(test.Id, test.FullName, CaseOf(test), AttributeLevels.ForTest(test), new Channel(test), Scopes.Around(test));

    public static LockedTest StartFixture(ITest fixture, Type type) =>
        LockedTest.StartScope(fixture.Id, fixture.FullName, CaseOf(fixture), AttributeLevels.ForFixture(type), new Channel(fixture));

    private static TestCaseInfo CaseOf(ITest test) =>
        new(test.TypeInfo?.Type ?? typeof(object), test.Method?.MethodInfo, test.Arguments, test.Name);
}
