using System.Collections.Concurrent;
using System.Reflection;
using TestLocks.Xunit;
using Xunit.Sdk;

namespace TestLocks.Xunit.Tests;

/// <summary>TestLocks' method runner leaves TestLocks' own attributes out of xUnit's before/after attributes (they only
/// check that the hook took the locks); a test's other before/after attributes still run, before and after it.</summary>
public sealed class A_marked_xUnit_v2_test
{
    [Fact, ExternalLock("other-before-after"), Counting]
    public void Still_runs_its_other_before_after_attributes()
    {
        Assert.Equal(1, CountingAttribute.Befores.GetValueOrDefault(nameof(Still_runs_its_other_before_after_attributes)));
        Assert.Equal(0, CountingAttribute.Afters.GetValueOrDefault(nameof(Still_runs_its_other_before_after_attributes)));
    }

    [AttributeUsage(AttributeTargets.Method)]
    private sealed class CountingAttribute : BeforeAfterTestAttribute
    {
        public static readonly ConcurrentDictionary<string, int> Befores = new(), Afters = new();

        public override void Before(MethodInfo methodUnderTest) => Befores.AddOrUpdate(methodUnderTest.Name, 1, (_, n) => n + 1);

        public override void After(MethodInfo methodUnderTest) => Afters.AddOrUpdate(methodUnderTest.Name, 1, (_, n) => n + 1);
    }
}
