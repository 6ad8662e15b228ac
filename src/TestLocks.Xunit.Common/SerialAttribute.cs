using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.Xunit;

/// <summary>
/// Runs the marked test (or every test of the class) while no other test runs in any process that uses TestLocks with
/// the same lock_path (or backend), like Tempest's <c>@serial</c> and JUnit's <c>@Isolated</c>: it takes the write side
/// of the reader/writer lock <c>serial-rw-lock</c> (with the configured lock_file_prefix: "tempest-" gives Tempest's own
/// <c>tempest-serial-rw-lock</c>), and every other test of an assembly with TestLocks' hook takes its read side.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class SerialAttribute : LockingAttribute
{
    private protected override IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) => [LockRequest.Serial()];

    private protected override string Kind => "[Serial]";
}
