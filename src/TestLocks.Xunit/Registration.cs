namespace TestLocks.Xunit;

/// <summary>How xUnit v2 test assemblies register TestLocks' hook, for the message a marked test fails with when it is missing.</summary>
internal static class Registration
{
    public const string Version = "v2";
    public const string Package = "TestLocks.Xunit";
    public const string Line = "[assembly: Xunit.TestFramework(\"TestLocks.Xunit.TestLocksTestFramework\", \"TestLocks.Xunit\")]";
    public const string Note = "; a project with a test framework of its own derives it from TestLocks.Xunit.TestLocksTestFramework instead";
}
