using TestLocks.Testing;

namespace Fx.Rows
{
    /// <summary>Lock names computed per test case: a template and a provider type.</summary>
    public sealed class PerRow() : JournaledTest("", journalConstructor: false)
    {
        [TestCase("a")]
        [TestCase("b")]
        [ExternalLock("row-{0}")]
        public void Template(string row) => Log($"body {row}");

        [TestCase("c"), ExternalLock(typeof(RowLocks))]
        public void Provider(string row) => Log($"body {row}");
    }

    /// <summary>"prov-" and the case's first argument.</summary>
    public sealed class RowLocks : ILockNameProvider
    {
        public IEnumerable<string> GetLockNames(TestCaseInfo testCase) => [$"prov-{testCase.Arguments[0]}"];
    }
}

namespace Fx.BadRows
{
    public sealed class TemplateWithoutItsArgument
    {
        [TestCase("a"), ExternalLock("row-{1}")]
        public void Template_without_its_argument(string row) => _ = row;
    }
}
