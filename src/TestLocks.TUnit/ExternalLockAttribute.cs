using TestLocks.Testing;

namespace TestLocks.TUnit;

/// <summary>
/// Holds the named cross-process locks for each marked test case, from before its [Before(Test)] hooks until after its
/// [After(Test)] hooks (TUnit builds the test class before any per-test hook, and disposes it after the last). Put it on
/// a test method, a test class or the assembly; the names of every level are merged and taken in ordinal order (a name
/// asked for both read and write is taken for write), so two tests can never deadlock on a pair. Other tests, other test
/// processes (TUnit, xUnit, NUnit, MSTest, Python oslo.concurrency) and other shards wait; unmarked tests keep running.
/// A name may depend on the test case: <c>"db-{0}"</c> is formatted with the case's arguments (invariant culture), and
/// <c>[ExternalLock(typeof(MyNames))]</c> asks an <see cref="ILockNameProvider"/> for the case's names.
/// </summary>
/// <example>
/// <code>
/// [Test, ExternalLock("availability_zone", Prefix = "tempest-")]
/// public async Task Aggregate_add_host_list() { ... }
///
/// [Test, ExternalLock("db-{0}")]                    // one lock per database: db-orders, db-users
/// [Arguments("orders")]
/// [Arguments("users")]
/// public async Task Restores(string database) { ... }
/// </code>
/// </example>
public sealed partial class ExternalLockAttribute : TestLocksAttribute;
