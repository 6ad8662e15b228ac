using System.Reflection;

namespace TestLocks.Testing;

/// <summary>One test case as a framework package sees it when it takes the case's locks: its class, its method, the
/// arguments of its row (empty for a test without data) and its display name. Lock name templates are formatted with
/// <see cref="Arguments"/>; an <see cref="ILockNameProvider"/> gets the whole of it.</summary>
public sealed class TestCaseInfo
{
    /// <summary>Describes a test case (framework packages make it).</summary>
    /// <param name="testClass">See <see cref="TestClass"/>.</param>
    /// <param name="method">See <see cref="Method"/>.</param>
    /// <param name="arguments">See <see cref="Arguments"/>.</param>
    /// <param name="displayName">See <see cref="DisplayName"/>.</param>
    public TestCaseInfo(Type testClass, MethodInfo? method, IReadOnlyList<object?> arguments, string displayName)
    {
        ArgumentNullException.ThrowIfNull(testClass);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(displayName);
        TestClass = testClass;
        Method = method;
        Arguments = arguments;
        DisplayName = displayName;
    }

    /// <summary>The test class (the derived class when a test is inherited).</summary>
    public Type TestClass { get; }

    /// <summary>The test method; null for locks held around a whole fixture (NUnit's <c>LockScope.Fixture</c>), whose
    /// arguments are the fixture's.</summary>
    public MethodInfo? Method { get; }

    /// <summary>The row's arguments, in parameter order; empty for a test without data.</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>The test case's name as the framework reports it, e.g. <c>Restore(database: "orders")</c>.</summary>
    public string DisplayName { get; }

    /// <inheritdoc />
    public override string ToString() => DisplayName;
}
