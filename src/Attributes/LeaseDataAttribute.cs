// One source for [LeaseData] in the framework packages that inject parameters through a method-level data source (TUnit,
// xUnit v2 and v3, MSTest), compiled into each (see README.md here); NUnit takes [Lease] on the parameter instead. The
// package's own part (LeaseDataAttribute.cs in the package) gives the framework's data source base or interface.
#if !TESTLOCKS_NUNIT
using TestLocks.Adapters;
using TestLocks.Testing;

#if TESTLOCKS_MSTEST
namespace TestLocks.MSTest;
#elif TESTLOCKS_TUNIT
namespace TestLocks.TUnit;
#else
namespace TestLocks.Xunit;
#endif

/// <summary>
/// Leases the test one free member of a resource pool, as <c>[Lease("database")]</c> does, and passes it to the test as
/// its one parameter, a <see cref="LeasedMember"/> whose <see cref="LeasedMember.Name"/> is the member the test holds
/// ("db2"). The framework makes the parameter before the test runs and the member is known only once the test holds
/// it, so display names show a placeholder ("&lt;a member of database&gt;").
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed partial class LeaseDataAttribute : ILockRequestSource
{
    /// <summary>Leases a member of the pool <paramref name="pool"/> and passes it as the test's parameter.</summary>
    /// <exception cref="TestLocksException">No pool can have that name (null, empty, white space around it, ':' or '=', ...); the message says why.</exception>
    public LeaseDataAttribute(string pool)
    {
        Pool = LeaseArguments.Pool(pool, "LeaseData");
    }

    /// <summary>The pool's name, as <c>[testlocks.pools]</c> declares it.</summary>
    public string Pool { get; }

    /// <summary>The lock file prefix of the members' locks; null (the default) takes the configured one.</summary>
    public string? Prefix { get; set; }

    IEnumerable<LockRequest> ILockRequestSource.RequestsFor(TestCaseInfo testCase) => [LockRequest.Lease(Pool, Prefix)];
}
#endif
