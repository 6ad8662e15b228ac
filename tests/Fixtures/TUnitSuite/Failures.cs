namespace Fx.Failures
{
    /// <summary>Three tests on one lock, run one after another: whatever their order, the first instance throws in
    /// [Before(Test)] and the second in [After(Test)]; the third can take the lock only if both failures released it.</summary>
    [ExternalLock("fail-lock"), NotInParallel]
    public sealed class FailingPhases() : JournaledTest("fail-lock", journalConstructor: false)
    {
        private static int s_instances;
        private int _instance;

        [Before(HookType.Test)]
        public void Before()
        {
            _instance = Interlocked.Increment(ref s_instances);
            Log("Before");
            if (_instance == 1) throw new InvalidOperationException("Before(Test) failed on purpose.");
        }

        [Test]
        public void First() => Log("body");

        [Test]
        public void Second() => Log("body");

        [Test]
        public void Third() => Log("body");

        [After(HookType.Test)]
        public void After()
        {
            Log("After");
            if (_instance == 2) throw new InvalidOperationException("After(Test) failed on purpose.");
        }
    }

    public sealed class TimesOut() : JournaledTest("timeout-lock", journalConstructor: false)
    {
        [Test, ExternalLock("timeout-lock")]
        public void Times_out() => Log("body");
    }
}

namespace Fx.Cancel
{
    public sealed class WaitsForever() : JournaledTest("cancel-lock", journalConstructor: false)
    {
        [Test, ExternalLock("cancel-lock")]
        public void Fact() => Log("body");
    }
}
