using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.TUnit;

/// <summary>
/// Runs the marked test (or every test of the class) while no other test runs in any process that uses TestLocks with
/// the same lock_path (or backend), like Tempest's <c>@serial</c>: it takes the write side of the reader/writer lock
/// <c>serial-rw-lock</c> (with the configured lock_file_prefix), and every other test of an assembly with TestLocks'
/// <see cref="TestLocksAssemblyAttribute"/> (which the package adds) takes its read side.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class SerialAttribute : TestLocksAttribute
{
    private protected override IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) => [LockRequest.Serial()];
}
