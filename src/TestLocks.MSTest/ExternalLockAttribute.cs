using TestLocks.Testing;

namespace TestLocks.MSTest;

/// <summary>
/// Holds the named cross-process locks for each marked test, per data row: from before the test class is constructed,
/// through TestInitialize, the test, TestCleanup and Dispose. Put it on a test method, a test class or the assembly; the
/// names of every level are merged and taken in ordinal order (a name asked for both read and write is taken for write),
/// so two tests can never deadlock on a pair. Other tests, other test processes (MSTest, xUnit, NUnit, TUnit, Python
/// oslo.concurrency) and other shards wait; unmarked tests keep running. A name may depend on the data row:
/// <c>"db-{0}"</c> is formatted with the row's arguments (invariant culture), and <c>[ExternalLock(typeof(MyNames))]</c>
/// asks an <see cref="ILockNameProvider"/> for the row's names.
/// </summary>
/// <example>
/// <code>
/// [TestMethod, ExternalLock("availability_zone", Prefix = "tempest-")]
/// public void Aggregate_add_host_list() { ... }
///
/// [TestMethod, ExternalLock("db-{0}")]               // one lock per database: db-orders, db-users
/// [DataRow("orders")]
/// [DataRow("users")]
/// public void Restores(string database) { ... }
/// </code>
/// </example>
public sealed partial class ExternalLockAttribute : TestLocksAttribute;
