// One source for [Lease] in every framework package, compiled into each (see README.md here): the package's own part
// of the class (LeaseAttribute.cs in the package) gives its base class and its documentation.
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

/// <summary>
/// Leases the test one free member of a resource pool (declared in the INI file's <c>[testlocks.pools]</c> section, for
/// example <c>database = db1, db2, db3, db4</c>) from before its setup to after its last cleanup, as any TestLocks lock:
/// no other test of any process (or machine, with a server backend) holds that member meanwhile, and a test that locks
/// a member by name (<c>[ExternalLock("db2")]</c>) excludes its lease. The test reads its member with
/// <see cref="Lease.Current"/>, or as a parameter: <see cref="LeasedMember"/> (NUnit: <c>[Lease]</c> on the parameter;
/// TUnit, xUnit, MSTest: <c>[LeaseData]</c> on the method).
/// </summary>
/// <example>
/// <code>
/// [Lease("database")]
/// public void Migrates() { var db = Lease.Current("database"); /* "db2" */ }
/// </code>
/// </example>
#if TESTLOCKS_NUNIT
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly | AttributeTargets.Parameter, AllowMultiple = true, Inherited = true)]
#else
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = true, Inherited = true)]
#endif
public sealed partial class LeaseAttribute
{
    /// <summary>Leases a member of the pool <paramref name="pool"/>.</summary>
    /// <exception cref="TestLocksException">No pool can have that name (null, empty, white space around it, ':' or '=', ...); the message says why.</exception>
    public LeaseAttribute(string pool)
    {
        Pool = LeaseArguments.Pool(pool, "Lease");
    }

    /// <summary>The pool's name, as <c>[testlocks.pools]</c> declares it.</summary>
    public string Pool { get; }

    /// <summary>The lock file prefix of the members' locks; null (the default) takes the configured one.</summary>
    public string? Prefix { get; set; }

    private protected override IEnumerable<LockRequest> RequestsFor(TestCaseInfo testCase) => [LockRequest.Lease(Pool, Prefix)];

#if TESTLOCKS_MSTEST || TESTLOCKS_XUNIT
    private protected override string Kind => "[Lease]";
#endif
}
