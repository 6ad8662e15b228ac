namespace TestLocks.NUnit;

/// <summary>How long a TestLocks attribute holds its locks.</summary>
public enum LockScope
{
    /// <summary>Around each test: SetUp, the test, TearDown and the test's cleanups (the default).</summary>
    Test = 0,

    /// <summary>Around the whole fixture: from OneTimeSetUp to OneTimeTearDown, as Tempest locks a class from setUpClass
    /// to tearDownClass. Only on a class that derives from <see cref="TestLocksFixture"/>, whose OneTimeSetUp and
    /// OneTimeTearDown take and release the locks.</summary>
    Fixture = 1,
}
