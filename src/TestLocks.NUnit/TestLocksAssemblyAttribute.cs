using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.NUnit;

/// <summary>
/// Makes every test of the assembly a TestLocks test: it takes the read side of the serial lock around SetUp, the test
/// and TearDown, so that a <see cref="SerialAttribute"/> test of any process runs while no test of this assembly runs,
/// and a test that waits for a lock gives its parallel slot back. The package adds <c>[assembly: TestLocksAssembly]</c>
/// to C# test projects (MSBuild property <c>TestLocksRegisterNUnit=false</c> leaves it out; then only tests with a
/// TestLocks attribute take it). NUnit wraps a test with the wrappers of its first level that has any (the method's,
/// else the class's, else the assembly's): a test whose method or class carries another <c>IWrapSetUpTearDown</c>
/// attribute and no TestLocks one does not get this one.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class TestLocksAssemblyAttribute : TestLocksAttribute
{
    private protected override IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) => [];
}
