using TestLocks.Testing;

namespace Fx.Rows
{
    /// <summary>Lock names computed per test case: a template and a provider type.</summary>
    public sealed class PerRow() : JournaledTest("", journalConstructor: false)
    {
        [Test, ExternalLock("row-{0}")]
        [Arguments("a")]
        [Arguments("b")]
        public void Template(string row) => Log($"body {row}");

        [Test, ExternalLock(typeof(RowLocks))]
        [Arguments("c")]
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
        [Test, ExternalLock("row-{1}")]
        [Arguments("a")]
        public void Template_without_its_argument(string row) => _ = row;
    }
}
