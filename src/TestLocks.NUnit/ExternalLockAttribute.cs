using TestLocks.Adapters;
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
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = true, Inherited = true)]
public sealed class ExternalLockAttribute : TestLocksAttribute
{
    /// <summary>Asks for the locks <paramref name="names"/>, e.g. <c>[ExternalLock("availability_zone")]</c>.</summary>
    public ExternalLockAttribute(params string[] names)
    {
        Names = ExternalLockNames.Required(names);
    }

    /// <summary>Asks for the locks that <paramref name="provider"/>, an <see cref="ILockNameProvider"/> with a public
    /// parameterless constructor, computes for each test case.</summary>
    public ExternalLockAttribute(Type provider)
    {
        Provider = provider ?? throw new ArgumentNullException(nameof(provider));
        Names = [];
    }

    /// <summary>The <see cref="ILockNameProvider"/> type that computes names per test case, or null.</summary>
    public Type? Provider { get; }

    /// <summary>The lock names, without prefix.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The lock file prefix: "tempest-" gives <c>tempest-availability_zone</c>. Null (the default) takes the
    /// configured <c>[testlocks] lock_file_prefix</c>; "" means none.</summary>
    public string? Prefix { get; set; }

    /// <summary>Write (exclusive, the default) or Read (shared with other readers).</summary>
    public LockMode Mode { get; set; }

    /// <summary>With a value above 0, each name is a counted lock: at most this many tests (in any process, and on any
    /// machine with a server backend) hold it at once, for example <c>[ExternalLock("cloud-quota", Slots = 3)]</c>. Every
    /// test and process must give a name the same count. 0 (the default): a plain lock.</summary>
    public int Slots { get; set; }

    private protected override IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) =>
        ExternalLockNames.Requests(Names, Provider, Prefix, Mode, Slots, testCase);
}
