using TestLocks.Testing;

namespace TestLocks.NUnit;

/// <summary>
/// Holds the named cross-process locks around SetUp, the test and TearDown, so that no other test of any process
/// (NUnit or xUnit, .NET or oslo.concurrency) holding one of them runs at the same time. Works on a method, a class
/// and an assembly; the names of every level are merged. A name may depend on the test case: <c>"db-{0}"</c> is
/// formatted with the [TestCase] row's arguments (invariant culture), and <c>[ExternalLock(typeof(MyNames))]</c> asks
/// an <see cref="ILockNameProvider"/> for the case's names.
/// </summary>
/// <example>
/// <code>
/// [Test, ExternalLock("availability_zone")]
/// public void Aggregate_add_host_list() { ... }
///
/// [ExternalLock("availability_zone", Scope = LockScope.Fixture)]   // OneTimeSetUp .. OneTimeTearDown
/// public class AggregatesTests : TestLocksFixture { ... }
/// </code>
/// </example>
public sealed partial class ExternalLockAttribute : TestLocksAttribute;
