using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.NUnit;

/// <summary>
/// Runs the test while no other TestLocks test runs, in this process or any other one sharing the lock directory (or
/// backend), like Tempest's <c>@serial</c>: it takes the write side of the serial reader/writer lock
/// (<see cref="LockRequest.SerialLockName"/>, with the configured prefix), and every other test that TestLocks wraps
/// takes its read side (every test of an assembly with <see cref="TestLocksAssemblyAttribute"/>, which the package adds). With <c>Scope = LockScope.Fixture</c> the whole fixture runs alone.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = false, Inherited = true)]
public sealed class SerialAttribute : TestLocksAttribute
{
    private protected override IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) => [LockRequest.Serial()];
}
