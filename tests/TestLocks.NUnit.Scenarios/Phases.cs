using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios;

public class Phases
{
    [SetUp]
    public void SetUp() => Journal.Write("setup");

    [Test, ExternalLock("phases")]
    public void Locked() => Journal.Write("body");

    [Test]
    public void Unlocked() => Journal.Write("body");

    [TearDown]
    public void TearDown() => Journal.Write("teardown");
}

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class PerTestCase : IDisposable
{
    public PerTestCase() => Journal.Write("constructor");

    [SetUp]
    public void SetUp() => Journal.Write("setup");

    [Test, ExternalLock("phases")]
    public void Locked() => Journal.Write("body");

    public void Dispose() => Journal.Write("dispose");
}
