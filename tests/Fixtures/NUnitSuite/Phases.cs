// Every test of the fixture assembly reads "assembly-lock"; AssemblyWriter writes it.
[assembly: TestLocks.NUnit.ExternalLock("assembly-lock", Mode = TestLocks.LockMode.Read)]
// As the other suites run: tests in parallel, each test case on an instance of its own (so each journals as one instance).
[assembly: Parallelizable(ParallelScope.All)]
[assembly: FixtureLifeCycle(LifeCycle.InstancePerTestCase)]

namespace Fx.Phases;

/// <summary>SetUp, the test, TearDown and Dispose of each test case journal themselves; all must be inside "phases".
/// NUnit builds an InstancePerTestCase fixture before any wrapper runs, so the constructor is not journaled.</summary>
[ExternalLock("phases")]
public sealed class LifecyclePhases() : JournaledTest("phases", journalConstructor: false), IDisposable
{
    [SetUp]
    public void SetUp() => Log("SetUp");

    [Test]
    public void Fact() => Log("body");

    [TestCase(1)]
    [TestCase(2)]
    public void Rows(int row) => Log($"body row {row}");

    [TearDown]
    public void TearDown() => Log("TearDown");

    public void Dispose() => Log("Dispose");
}
