// One source for [ExternalLock] in every framework package, compiled into each (see README.md here): the package's own
// part of the class (ExternalLockAttribute.cs in the package) gives its base class and its documentation.
using TestLocks.Adapters;
using TestLocks.Testing;

#if TESTLOCKS_MSTEST
namespace TestLocks.MSTest;
#elif TESTLOCKS_NUNIT
namespace TestLocks.NUnit;
#elif TESTLOCKS_TUNIT
namespace TestLocks.TUnit;
#else
namespace TestLocks.Xunit;
#endif

[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = true, Inherited = true)]
public sealed partial class ExternalLockAttribute
{
    /// <summary>Marks a test (or every test of a class or assembly) as holding the locks <paramref name="names"/>.</summary>
    /// <param name="names">One or more lock names, for example "availability_zone".</param>
    public ExternalLockAttribute(params string[] names)
    {
        Names = ExternalLockNames.Required(names);
    }

    /// <summary>Marks a test as holding the locks that <paramref name="provider"/>, an <see cref="ILockNameProvider"/>
    /// with a public parameterless constructor, computes for each test case.</summary>
    public ExternalLockAttribute(Type provider)
    {
        Provider = provider ?? throw new ArgumentNullException(nameof(provider));
        Names = [];
    }

    /// <summary>The lock names; <c>{0}</c>, <c>{1}</c>... stand for the test case's (data row's) arguments.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The <see cref="ILockNameProvider"/> type that computes names per test case, or null.</summary>
    public Type? Provider { get; }

    /// <summary>The lock file prefix ("tempest-" gives <c>tempest-NAME</c>); the configured lock_file_prefix when null, none when "".</summary>
    public string? Prefix { get; set; }

#if TESTLOCKS_MSTEST
    /// <summary><see cref="LockMode.Write"/> (exclusive, the default) or <see cref="LockMode.Read"/> (shared with other readers).
    /// (It hides MSTest's condition mode, which is always Include for TestLocks' attributes.)</summary>
    public new LockMode Mode { get; set; } = LockMode.Write;
#else
    /// <summary><see cref="LockMode.Write"/> (exclusive, the default) or <see cref="LockMode.Read"/> (shared with other readers).</summary>
    public LockMode Mode { get; set; } = LockMode.Write;
#endif

    /// <summary>With a value above 0, each name is a counted lock: at most this many tests (in any process, and on any
    /// machine with a server backend) hold it at once, for example <c>[ExternalLock("cloud-quota", Slots = 3)]</c>. Every
    /// test and process must give a name the same count. 0 (the default): a plain lock.</summary>
    public int Slots { get; set; }

    private protected override IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) =>
        ExternalLockNames.Requests(Names, Provider, Prefix, Mode, Slots, testCase);

#if TESTLOCKS_MSTEST || TESTLOCKS_XUNIT
    private protected override string Kind => "[ExternalLock]";
#endif
}
