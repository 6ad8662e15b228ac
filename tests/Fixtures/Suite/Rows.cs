using TestLocks.Testing;

namespace Fx.Rows
{
    /// <summary>Lock names computed per theory row from a template.</summary>
    public sealed class PerRow() : JournaledTest("")
    {
        [Theory, ExternalLock("row-{0}")]
        [InlineData("a")]
        [InlineData("b")]
        public void Template(string row) => Log($"body {row}");
    }

    /// <summary>Lock names computed per theory row by a provider type (a class of its own, so it runs beside PerRow).</summary>
    public sealed class PerProvider() : JournaledTest("")
    {
        [Theory, ExternalLock(typeof(RowLocks))]
        [InlineData("c")]
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
    public sealed class TemplateWithoutItsArgument
    {
        [Theory, ExternalLock("row-{1}")]
        [InlineData("a")]
        public void Template_without_its_argument(string row) => _ = row;
    }
}
