using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.TUnit;

/// <summary>
/// Makes every test of the assembly a TestLocks test: it takes the read side of the serial lock, so that a
/// <see cref="SerialAttribute"/> test of any process runs while no test of this assembly runs, and its lock waits and
/// holds are named in the journal. The package adds <c>[assembly: TestLocksAssembly]</c> to C# test projects (MSBuild
/// property <c>TestLocksRegisterTUnit=false</c> leaves it out; then only tests with a TestLocks attribute take it).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class TestLocksAssemblyAttribute : TestLocksAttribute
{
    private protected override IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) => [];
}
