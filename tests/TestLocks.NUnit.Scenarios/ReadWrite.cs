using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

public class ReadWrite
{
    [Test, ExternalLock("rw", Mode = LockMode.Read)]
    public void Reader() => Journal.Write("read");

    [Test, ExternalLock("rw")]
    public void Writer() => Journal.Write("write");
}

public class SerialTests
{
    [Test, Serial]
    public void Alone() => Journal.Write("serial");

    [Test]
    public void Other() => Journal.Write("other");
}

[Serial(Scope = LockScope.Fixture)]
public class SerialFixture : TestLocksFixture
{
    [OneTimeSetUp]
    public void OneTimeSetUp() => Journal.Write("onetimesetup");

    [Test]
    public void One() => Journal.Write("serial");
}
