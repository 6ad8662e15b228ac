// Added by the TestLocks.Xunit.v3 package (MSBuild property TestLocksRegisterXunit=false turns it off).
[assembly: global::Xunit.AssemblyFixture(typeof(global::TestLocks.Xunit.TestLocksAssemblyFixture))]
