using TestLocks.Testing;

namespace TestLocks.Xunit;

/// <summary>
/// Holds the named cross-process locks for the whole life of each marked test: from before the constructor until after
/// Dispose/DisposeAsync, for every theory row. Put it on a test method, a test class or the assembly; the names of every
/// level are merged and taken in ordinal order (a name asked for both read and write is taken for write), so two tests
/// can never deadlock on a pair. Other tests, other test processes and other shards wait; unmarked tests keep running.
/// A name may depend on the test case: <c>"db-{0}"</c> is formatted with the theory row's arguments (invariant culture),
/// and <c>[ExternalLock(typeof(MyNames))]</c> asks an <see cref="ILockNameProvider"/> for the case's names.
/// </summary>
/// <example>
/// <code>
/// [Fact, ExternalLock("availability_zone", Prefix = "tempest-")]
/// public void Aggregate_add_host_list() { ... }
///
/// [Theory, ExternalLock("db-{0}")]                  // one lock per database: db-orders, db-users
/// [InlineData("orders")]
/// [InlineData("users")]
/// public void Restores(string database) { ... }
/// </code>
/// </example>
public sealed partial class ExternalLockAttribute : LockingAttribute;
