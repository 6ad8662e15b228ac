// Every test of the fixture assembly reads "assembly-lock"; AssemblyWriter writes it.
[assembly: TestLocks.MSTest.ExternalLock("assembly-lock", Mode = TestLocks.LockMode.Read)]
[assembly: Parallelize(Workers = 0, Scope = ExecutionScope.MethodLevel)]

namespace Fx.Phases;

/// <summary>Every phase MSTest runs for a test and each data row journals itself; all must be inside "phases". MSTest's
/// own in-process [ResourceLock] on the same class combines with it.</summary>
[TestClass, ExternalLock("phases"), ResourceLock("phases-resource")]
public sealed class LifecyclePhases() : JournaledTest("phases"), IDisposable
{
    [TestInitialize]
    public void TestInitialize() => Log("TestInitialize");

    [TestMethod]
    public void Fact() => Log("body");

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void Rows(int row) => Log($"body row {row}");

    [TestCleanup]
    public void TestCleanup() => Log("TestCleanup");

    public void Dispose() => Log("Dispose");
}
