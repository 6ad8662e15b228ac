namespace Fx.Unmarked;

/// <summary>TUnit calls only attributes: a test without a TestLocks attribute does not take the serial lock's read side,
/// unless the assembly says so (as this fixture's assembly-level [ExternalLock] does).</summary>
public sealed class Unmarked() : JournaledTest("", journalConstructor: false)
{
    [Test]
    public void Fact() => Log("body");
}
