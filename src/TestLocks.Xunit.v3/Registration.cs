namespace TestLocks.Xunit;

/// <summary>How xUnit v3 test assemblies register TestLocks' hook, for the message a marked test fails with when it is missing.</summary>
internal static class Registration
{
    public const string Version = "v3";
    public const string Package = "TestLocks.Xunit.v3";
    public const string Line = "[assembly: Xunit.AssemblyFixture(typeof(TestLocks.Xunit.TestLocksAssemblyFixture))]";
    public const string Note = "";
}
