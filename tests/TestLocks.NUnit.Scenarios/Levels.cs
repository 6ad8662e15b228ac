using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

[ExternalLock("class-lock")]
public class Levels
{
    [Test, ExternalLock("method-lock")]
    public void MethodClassAndAssembly() => Journal.Write("body");

    [Test]
    public void ClassAndAssembly() => Journal.Write("body");

    [Test, ExternalLock("b-lock", "a-lock"), ExternalLock("az", Prefix = "tempest-")]
    public void SeveralNamesAndAPrefix() => Journal.Write("body");
}

public class AssemblyOnly
{
    [Test]
    public void Assembly() => Journal.Write("body");
}

[ExternalLock("base-class-lock")]
public abstract class LockedBase;

public class InheritsALockedBase : LockedBase
{
    [Test]
    public void FromTheBaseClass() => Journal.Write("body");
}
