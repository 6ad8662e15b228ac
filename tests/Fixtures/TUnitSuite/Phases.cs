// Every test of the fixture assembly reads "assembly-lock"; AssemblyWriter writes it.
[assembly: TestLocks.TUnit.ExternalLock("assembly-lock", Mode = TestLocks.LockMode.Read)]

namespace Fx.Phases;

/// <summary>[Before(Test)], the test and [After(Test)] of each test case journal themselves; all must be inside
/// "phases". TUnit builds the class before any per-test hook, so the constructor is not journaled.</summary>
[ExternalLock("phases")]
public sealed class LifecyclePhases() : JournaledTest("phases", journalConstructor: false)
{
    [Before(HookType.Test)]
    public void Before() => Log("Before");

    [Test]
    public void Fact() => Log("body");

    [Test]
    [Arguments(1)]
    [Arguments(2)]
    public void Rows(int row) => Log($"body row {row}");

    [After(HookType.Test)]
    public void After() => Log("After");
}

/// <summary>TUnit's own in-process [NotInParallel] on the same tests changes nothing about the cross-process lock.</summary>
[ExternalLock("phases"), NotInParallel("phases-key")]
public sealed class WithNotInParallel() : JournaledTest("phases", journalConstructor: false)
{
    [Test]
    public void Alongside_NotInParallel() => Log("body");
}
