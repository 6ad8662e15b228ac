using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestLocks.Adapters;

namespace TestLocks.MSTest.Execution;

/// <summary>
/// Finds the test that a <see cref="TestContext"/> runs (MSTest names its class and method, not the method itself) and
/// its TestLocks attributes on the method, the class (and its bases) and the assembly. Cached per class, method and arity.
/// </summary>
internal static class TestMethods
{
    private static readonly ConcurrentDictionary<string, Type> s_classes = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(Type, string, int), Marked> s_tests = new();

    /// <summary>A test method and the TestLocks attributes that apply to it.</summary>
    internal sealed record Marked(Type TestClass, MethodInfo Method, IReadOnlyList<ILockRequestSource> Attributes);

    /// <exception cref="TestLocksException">The class or method MSTest names cannot be found.</exception>
    public static Marked Of(TestContext context)
    {
        var className = context.FullyQualifiedTestClassName ?? throw new TestLocksException("MSTest gave TestLocks a TestContext without a test class name; [GlobalTestInitialize] should only run for tests.");
        var testClass = s_classes.GetOrAdd(className, FindClass);
        var arity = context.TestData?.Length ?? 0;
        return s_tests.GetOrAdd((testClass, context.TestName ?? "", arity), static key =>
        {
            var (testClass, name, arity) = key;
            var candidates = testClass.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => m.Name == name && m.IsDefined(typeof(TestMethodAttribute), inherit: true)).ToList();
            var method = candidates.FirstOrDefault(m => m.GetParameters().Length == arity) ?? candidates.FirstOrDefault()
                ?? throw new TestLocksException($"TestLocks cannot find the test method {testClass.FullName}.{name} that MSTest runs.");
            return new Marked(testClass, method, LockedTest.AttributesOf(testClass, method));
        });
    }

    private static Type FindClass(string name) =>
        AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic).Select(a => a.GetType(name)).FirstOrDefault(t => t is not null)
        ?? throw new TestLocksException($"TestLocks cannot find the test class {name} that MSTest runs among the loaded assemblies.");
}
