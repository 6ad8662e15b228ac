using System.Reflection;

namespace TestLocks.Testing;

/// <summary>One test case as a framework package sees it when it takes the case's locks: its class, its method, the
/// arguments of its row (empty for a test without data) and its display name. Lock name templates are formatted with
/// <see cref="Arguments"/>; an <see cref="ILockNameProvider"/> gets the whole of it.</summary>
/// <param name="TestClass">The test class (the derived class when a test is inherited).</param>
/// <param name="Method">The test method; null for locks held around a whole fixture (NUnit's <c>LockScope.Fixture</c>),
/// whose arguments are the fixture's.</param>
/// <param name="Arguments">The row's arguments, in parameter order; empty for a test without data.</param>
/// <param name="DisplayName">The test case's name as the framework reports it, e.g. <c>Restore(database: "orders")</c>.</param>
public sealed record TestCaseInfo(Type TestClass, MethodInfo? Method, IReadOnlyList<object?> Arguments, string DisplayName);
