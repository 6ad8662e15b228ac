// Added by the TestLocks.NUnit package (MSBuild property TestLocksRegisterNUnit=false turns it off): every test of this
// assembly takes the serial lock's read side, so that [Serial] tests of any process run alone.
[assembly: global::TestLocks.NUnit.TestLocksAssembly]
