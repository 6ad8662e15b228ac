using System.Collections.Concurrent;
using System.Reflection;
using NUnit.Framework.Interfaces;
using TestLocks.Testing;

namespace TestLocks.NUnit.Execution;

/// <summary>Finds the TestLocks attributes of every level of a test: its method, its class (and base classes), and
/// its assembly. NUnit itself only looks at the first level that has a wrapper.</summary>
internal static class AttributeLevels
{
    private static readonly ConcurrentDictionary<(Type, MethodInfo?), ILockRequestSource[]> s_forTest = new();

    /// <summary>The attributes with <see cref="LockScope.Test"/> on the test's method, class and assembly. Cached per
    /// method and class, as <see cref="LockedTest.AttributesOf"/> is: every case of a method shares them.</summary>
    public static IReadOnlyList<ILockRequestSource> ForTest(ITest test) => test.TypeInfo?.Type is { } type
        ? s_forTest.GetOrAdd((type, test.Method?.MethodInfo), static key =>
            [.. LockedTest.AttributesOf(key.Item1, key.Item2).Where(a => a is not TestLocksAttribute { Scope: LockScope.Fixture })])
        : [];

    /// <summary>The attributes with <see cref="LockScope.Fixture"/> on <paramref name="fixtureType"/> and its base classes.</summary>
    public static IReadOnlyList<ILockRequestSource> ForFixture(Type fixtureType) =>
        [.. LockedTest.AttributesOf(fixtureType, null).Where(a => a is TestLocksAttribute { Scope: LockScope.Fixture })];

    /// <summary>Why an attribute of type <paramref name="attributeType"/> with fixture scope cannot work on
    /// <paramref name="test"/>, or null when it can.</summary>
    public static string? FixtureScopeProblem(ITest test, Type attributeType)
    {
        var name = "[" + attributeType.Name.Replace("Attribute", "", StringComparison.Ordinal) + "(Scope = LockScope.Fixture)]";
        if (test.Method is not null || test.TypeInfo is null)
        {
            return $"{name} belongs on a test class: it holds its locks from OneTimeSetUp to OneTimeTearDown. " +
                   "On a method or an assembly, use the default Scope = LockScope.Test.";
        }
        if (!typeof(TestLocksFixture).IsAssignableFrom(test.TypeInfo.Type))
        {
            return $"{name} on {test.TypeInfo.Type.Name} needs the class to derive from TestLocks.NUnit.TestLocksFixture, " +
                   "whose OneTimeSetUp and OneTimeTearDown take and release the fixture's locks; without it the fixture would run unlocked.";
        }
        return null;
    }
}
