namespace Fx.Failures
{
    /// <summary>Three tests on one lock, run one after another: whatever their order, the first instance throws in
    /// TestInitialize and the second in TestCleanup; the third can take the lock only if both failures released it.</summary>
    [TestClass, ExternalLock("fail-lock"), DoNotParallelize]
    public sealed class FailingPhases() : JournaledTest("fail-lock")
    {
        private static int s_instances;
        private readonly int _instance = Interlocked.Increment(ref s_instances);

        [TestInitialize]
        public void TestInitialize()
        {
            Log("TestInitialize");
            if (_instance == 1) throw new InvalidOperationException("TestInitialize failed on purpose.");
        }

        [TestMethod]
        public void First() => Log("body");

        [TestMethod]
        public void Second() => Log("body");

        [TestMethod]
        public void Third() => Log("body");

        [TestCleanup]
        public void TestCleanup()
        {
            Log("TestCleanup");
            if (_instance == 2) throw new InvalidOperationException("TestCleanup failed on purpose.");
        }
    }

    [TestClass]
    public sealed class TimesOut() : JournaledTest("timeout-lock")
    {
        [TestMethod, ExternalLock("timeout-lock")]
        public void Times_out() => Log("body");
    }
}

namespace Fx.Cancel
{
    /// <summary>MSTest's cooperative [Timeout] cancels the test's token, which ends the wait for the lock.</summary>
    [TestClass]
    public sealed class WaitsTooLong() : JournaledTest("cancel-lock")
    {
        [TestMethod, ExternalLock("cancel-lock"), Timeout(1000, CooperativeCancellation = true)]
        public void Fact() => Log("body");
    }
}

namespace Fx.ConstructorFails
{
    /// <summary>MSTest (4.5) skips [GlobalTestCleanup] when the test class's constructor throws, so TestLocks' hook cannot
    /// release this test's lock: the next test of the process that needs it waits (here until lock_timeout).</summary>
    [TestClass, ExternalLock("ctor-lock"), DoNotParallelize]
    public sealed class A_Throws
    {
        public A_Throws() => throw new InvalidOperationException("The constructor failed on purpose.");

        [TestMethod]
        public void Constructor_throws() { }
    }

    [TestClass, ExternalLock("ctor-lock"), DoNotParallelize]
    public sealed class B_Waits
    {
        [TestMethod]
        public void Waits_for_the_failed_test() { }
    }
}
