using TestLocks.Testing;

namespace Fx.Rows
{
    /// <summary>Lock names computed per data row: a template and a provider type.</summary>
    [TestClass]
    public sealed class PerRow() : JournaledTest("")
    {
        [TestMethod, ExternalLock("row-{0}")]
        [DataRow("a")]
        [DataRow("b")]
        public void Template(string row) => Log($"body {row}");

        [TestMethod, ExternalLock(typeof(RowLocks))]
        [DataRow("c")]
        public void Provider(string row) => Log($"body {row}");
    }

    /// <summary>"prov-" and the row's first argument.</summary>
    public sealed class RowLocks : ILockNameProvider
    {
        public IEnumerable<string> GetLockNames(TestCaseInfo testCase) => [$"prov-{testCase.Arguments[0]}"];
    }
}

namespace Fx.BadRows
{
    [TestClass]
    public sealed class TemplateWithoutItsArgument
    {
        [TestMethod, ExternalLock("row-{1}")]
        [DataRow("a")]
        public void Template_without_its_argument(string row) => _ = row;
    }
}
