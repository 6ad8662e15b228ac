using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;
using TestLocks.Testing;

namespace TestLocks.NUnit.Scenarios.Rows;

/// <summary>Lock names computed per test case: a template formatted with the case's arguments, and a provider type.</summary>
public class PerCase
{
    [TestCase("a")]
    [TestCase("b")]
    [ExternalLock("row-{0}")]
    public void Template(string row) => Journal.Write($"body {row}");

    [TestCase("c"), ExternalLock(typeof(RowLocks))]
    public void Provider(string row) => Journal.Write($"body {row}");
}

/// <summary>"prov-" and the case's first argument.</summary>
public sealed class RowLocks : ILockNameProvider
{
    public IEnumerable<string> GetLockNames(TestCaseInfo testCase) => [$"prov-{testCase.Arguments[0]}"];
}

public class BadTemplate
{
    [TestCase("a"), ExternalLock("row-{1}")]
    public void Template(string row) => Journal.Write("never");
}
