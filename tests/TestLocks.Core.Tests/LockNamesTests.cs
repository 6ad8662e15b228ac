using System.Globalization;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.Core.Tests;

/// <summary>Lock names computed per test case, as every framework surface computes them.</summary>
public sealed class LockNamesTests
{
    private static readonly System.Reflection.MethodInfo Method = typeof(LockNamesTests).GetMethod(nameof(A_template_is_formatted_with_the_case_arguments_in_the_invariant_culture))!;

    [Fact]
    public void A_template_is_formatted_with_the_case_arguments_in_the_invariant_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // would write 1,5
        try
        {
            var names = LockNames.For(["db-{0}-{1:0.0}", "plain", "{{literal}}"], null, Case("orders", 1.5), "[ExternalLock]");

            Assert.Equal(["db-orders-1.5", "plain", "{literal}"], names);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_provider_type_computes_the_names_of_a_case()
    {
        Assert.Equal(["region-eu", "region-us"], LockNames.For([], typeof(Regions), Case("eu,us"), "[ExternalLock(typeof(Regions))]"));
    }

    [Fact]
    public void A_template_that_does_not_fit_the_case_says_how_many_arguments_there_are_and_the_fix()
    {
        var e = Assert.Throws<TestLocksException>(() => LockNames.For(["db-{1}"], null, Case("orders"), "[ExternalLock(\"db-{1}\")]"));

        Assert.Contains("[ExternalLock(\"db-{1}\")] on TestLocks.Core.Tests.LockNamesTests.Case(orders)", e.Message, StringComparison.Ordinal);
        Assert.Contains("has 1 argument(s), {0} to {0}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", e.Message, StringComparison.Ordinal);
        Assert.Contains("has no arguments", Assert.Throws<TestLocksException>(() => LockNames.For(["db-{0}"], null, Case(), "[ExternalLock]")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provider_that_cannot_be_created_or_returns_an_empty_name_is_refused_with_the_fix()
    {
        var notAProvider = Assert.Throws<TestLocksException>(() => LockNames.For([], typeof(string), Case(), "[ExternalLock(typeof(String))]"));
        Assert.Contains("implements TestLocks.Testing.ILockNameProvider and has a public parameterless constructor", notAProvider.Message, StringComparison.Ordinal);

        var empty = Assert.Throws<TestLocksException>(() => LockNames.For([], typeof(Regions), Case("eu,"), "[ExternalLock(typeof(Regions))]"));
        Assert.Contains("returned an empty or null name", empty.Message, StringComparison.Ordinal);

        var failing = Assert.Throws<TestLocksException>(() => LockNames.For([], typeof(Regions), Case(), "[ExternalLock(typeof(Regions))]"));
        Assert.Contains($"the lock name provider {typeof(Regions).FullName} failed", failing.Message, StringComparison.Ordinal);
    }

    private static TestCaseInfo Case(params object?[] arguments) =>
        new(typeof(LockNamesTests), Method, arguments, $"Case({string.Join(", ", arguments)})");

    /// <summary>"region-" and each comma-separated part of the first argument.</summary>
    public sealed class Regions : ILockNameProvider
    {
        public IEnumerable<string> GetLockNames(TestCaseInfo testCase) =>
            ((string)testCase.Arguments[0]!).Split(',').Select(r => r.Length == 0 ? "" : "region-" + r);
    }
}
