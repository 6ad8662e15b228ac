using NUnit.Framework;

namespace TestLocks.NUnit.Scenarios.Misuse;

[ExternalLock("misplaced", Scope = LockScope.Fixture)]
public class FixtureScopeWithoutTheBaseClass
{
    [Test]
    public void Test()
    {
    }
}

public class FixtureScopeOnAMethod
{
    [Test, ExternalLock("misplaced", Scope = LockScope.Fixture)]
    public void Test()
    {
    }
}

public class NoLockName
{
    [Test, ExternalLock]
    public void Test()
    {
    }
}
