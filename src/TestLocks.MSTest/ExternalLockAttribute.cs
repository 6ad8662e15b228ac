using TestLocks.Adapters;
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
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = true, Inherited = true)]
public sealed class ExternalLockAttribute : TestLocksAttribute
{
    /// <summary>Marks a test (or every test of a class or assembly) as holding the locks <paramref name="names"/>.</summary>
    /// <param name="names">One or more lock names, for example "availability_zone".</param>
    public ExternalLockAttribute(params string[] names)
    {
        Names = ExternalLockNames.Required(names);
    }

    /// <summary>Marks a test as holding the locks that <paramref name="provider"/>, an <see cref="ILockNameProvider"/>
    /// with a public parameterless constructor, computes for each data row.</summary>
    public ExternalLockAttribute(Type provider)
    {
        Provider = provider ?? throw new ArgumentNullException(nameof(provider));
        Names = [];
    }

    /// <summary>The lock names; <c>{0}</c>, <c>{1}</c>... stand for the data row's arguments.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The <see cref="ILockNameProvider"/> type that computes names per data row, or null.</summary>
    public Type? Provider { get; }

    /// <summary>The lock file prefix ("tempest-" gives <c>tempest-NAME</c>); the configured lock_file_prefix when null, none when "".</summary>
    public string? Prefix { get; set; }

    /// <summary><see cref="LockMode.Write"/> (exclusive, the default) or <see cref="LockMode.Read"/> (shared with other readers).
    /// (It hides MSTest's condition mode, which is always Include for TestLocks' attributes.)</summary>
    public new LockMode Mode { get; set; } = LockMode.Write;

    /// <summary>With a value above 0, each name is a counted lock: at most this many tests (in any process, and on any
    /// machine with a server backend) hold it at once, for example <c>[ExternalLock("cloud-quota", Slots = 3)]</c>. Every
    /// test and process must give a name the same count. 0 (the default): a plain lock.</summary>
    public int Slots { get; set; }

    private protected override IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) =>
        ExternalLockNames.Requests(Names, Provider, Prefix, Mode, Slots, testCase);

    private protected override string Kind => "[ExternalLock]";
}
