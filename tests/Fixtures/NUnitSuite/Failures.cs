namespace Fx.Failures
{
    /// <summary>Three tests on one lock, run one after another: whatever their order, the first to take the lock throws
    /// in SetUp and the second in TearDown; the third can take the lock only if both failures released it.</summary>
    [ExternalLock("fail-lock"), NonParallelizable]
    public sealed class FailingPhases() : JournaledTest("fail-lock", journalConstructor: false)
    {
        private static int s_instances;
        private int _instance;

        [SetUp]
        public void SetUp()
        {
            _instance = Interlocked.Increment(ref s_instances);
            Log("SetUp");
            if (_instance == 1) throw new InvalidOperationException("SetUp failed on purpose.");
        }

        [Test]
        public void First() => Log("body");

        [Test]
        public void Second() => Log("body");

        [Test]
        public void Third() => Log("body");

        [TearDown]
        public void TearDown()
        {
            Log("TearDown");
            if (_instance == 2) throw new InvalidOperationException("TearDown failed on purpose.");
        }
    }

    public sealed class TimesOut() : JournaledTest("timeout-lock", journalConstructor: false)
    {
        [Test, ExternalLock("timeout-lock")]
        public void Times_out() => Log("body");
    }
}
