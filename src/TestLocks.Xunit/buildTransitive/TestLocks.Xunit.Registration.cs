// Added by the TestLocks.Xunit package (MSBuild property TestLocksRegisterXunit=false turns it off).
[assembly: global::Xunit.TestFramework("TestLocks.Xunit.TestLocksTestFramework", "TestLocks.Xunit")]
