// Added by the TestLocks.Xunit.v3 package (MSBuild property TestLocksRegisterXunitFramework=false turns it off): a test
// waiting for a lock gives its parallel slot back meanwhile.
[assembly: global::Xunit.TestFramework(typeof(global::TestLocks.Xunit.TestLocksTestFramework))]
