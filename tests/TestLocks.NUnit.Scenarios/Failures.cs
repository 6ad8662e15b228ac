using NUnit.Framework;
using TestLocks.NUnit.Scenarios.Harness;

namespace TestLocks.NUnit.Scenarios.Failures;

// NUnit runs these fixtures in name order: three that fail, one that takes the same locks again in this process, and
// one that waits at its gate so the driving test can check, from another process, that the locks are free.
public class Step1SetUpFails
{
    [SetUp]
    public void SetUp() => throw new InvalidOperationException("SetUp failed on purpose");

    [Test, ExternalLock("fails-in-setup")]
    public void Test() => Journal.Write("never");
}

public class Step2TearDownFails
{
    [Test, ExternalLock("fails-in-teardown")]
    public void Test() => Journal.Write("body");

    [TearDown]
    public void TearDown() => throw new InvalidOperationException("TearDown failed on purpose");
}

public class Step3BodyFails
{
    [Test, ExternalLock("fails-in-body")]
    public void Test() => throw new InvalidOperationException("the test failed on purpose");
}

public class Step4TakesThemAgain
{
    [Test, ExternalLock("fails-in-setup", "fails-in-teardown", "fails-in-body")]
    public void Test() => Journal.Write("again");
}

public class Step5StillRunning
{
    [Test]
    public void Test() => Journal.Write("still-running");
}
