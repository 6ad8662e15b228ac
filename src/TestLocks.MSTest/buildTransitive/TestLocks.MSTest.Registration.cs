// Added by the TestLocks.MSTest package (MSBuild property TestLocksRegisterMSTest=false turns it off).
// A test waiting for a lock gives its parallel slot to another test (see TestLocks.MSTest.ParallelSlotsAttribute).
[assembly: global::TestLocks.MSTest.ParallelSlots(typeof(global::TestLocks.MSTest.Registration.TestLocksGlobalHooks))]

namespace TestLocks.MSTest.Registration
{
    /// <summary>TestLocks' hook: takes each test's locks before its constructor and releases them after its Dispose.</summary>
    [global::Microsoft.VisualStudio.TestTools.UnitTesting.TestClass]
    public static class TestLocksGlobalHooks
    {
        /// <summary>Takes the test's locks.</summary>
        [global::Microsoft.VisualStudio.TestTools.UnitTesting.GlobalTestInitialize]
        public static global::System.Threading.Tasks.Task TakeLocks(global::Microsoft.VisualStudio.TestTools.UnitTesting.TestContext testContext) =>
            global::TestLocks.MSTest.TestLocksHooks.TakeLocksAsync(testContext);

        /// <summary>Releases the test's locks.</summary>
        [global::Microsoft.VisualStudio.TestTools.UnitTesting.GlobalTestCleanup]
        public static global::System.Threading.Tasks.Task ReleaseLocks(global::Microsoft.VisualStudio.TestTools.UnitTesting.TestContext testContext) =>
            global::TestLocks.MSTest.TestLocksHooks.ReleaseLocksAsync(testContext);
    }
}
