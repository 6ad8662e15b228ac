using TestLocks.Testing;

namespace TestLocks.Xunit;

/// <summary>
/// Runs the marked test (or every test of the class) while no other test runs in any process that uses TestLocks with
/// the same lock_path (or backend), like Tempest's <c>@serial</c> and JUnit's <c>@Isolated</c>. It takes the write side
/// of the reader/writer lock <c>serial-rw-lock</c> (with the configured lock_file_prefix: "tempest-" gives Tempest's own
/// <c>tempest-serial-rw-lock</c>); every other test run through TestLocks takes its read side.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class SerialAttribute : LockingAttribute
{
    /// <summary>The lock file prefix of the serial lock; leave it null (the configured lock_file_prefix), as every
    /// non-serial test takes the read side under that prefix.</summary>
    public string? Prefix { get; set; }

    internal LockRequest Request => LockRequest.Serial(Prefix);

    private protected override string Kind => "[Serial]";
}
