using TestLocks.Adapters;

namespace TestLocks.Testing;

/// <summary>
/// The pool member a test gets as a parameter (NUnit's <c>[Lease("database")] LeasedMember db</c>, TUnit's, xUnit's and
/// MSTest's <c>[LeaseData("database")]</c>). Frameworks make parameter values before the test runs, and the member is
/// known only once the test holds it, so this is a handle: <see cref="Name"/> reads the member the running test holds
/// (as <see cref="Lease.Current"/> does), from before its setup to after its last cleanup.
/// </summary>
public sealed class LeasedMember
{
    /// <summary>A handle on the member of <paramref name="pool"/> that the running test holds.</summary>
    public LeasedMember(string pool)
    {
        ArgumentException.ThrowIfNullOrEmpty(pool);
        Pool = pool;
    }

    /// <summary>The pool's name, as <c>[testlocks.pools]</c> declares it.</summary>
    public string Pool { get; }

    /// <summary>The member of <see cref="Pool"/> the running test holds, for example "db2".</summary>
    /// <exception cref="TestLocksException">Read outside the test that leases it (a discovery, a flow that does not belong to
    /// the test, a later test), or the test holds no member of the pool; the message says what to do.</exception>
    public string Name => Lease.TryCurrent(Pool) ?? throw new TestLocksException(CurrentTest.Id is null
        ? $"The LeasedMember of pool \"{Pool}\" was read outside the test that leases it (at discovery, on a thread that does not " +
          "flow from the test, or after the test ended). Read Name in the test, its setup or its cleanup, and pass the string on."
        : $"The running test holds no member of pool \"{Pool}\". Lease one where the parameter comes from: [Lease(\"{Pool}\")] on " +
          $"the parameter (NUnit) or [LeaseData(\"{Pool}\")] on the test method (TUnit, xUnit, MSTest), with TestLocks registered.");

    /// <summary>The member when the running test holds one; else a placeholder such as "&lt;a member of database&gt;",
    /// which is what display names made before the test runs show.</summary>
    public override string ToString() => Lease.TryCurrent(Pool) ?? $"<a member of {Pool}>";

    /// <summary>The member's name: <see cref="Name"/>.</summary>
    /// <exception cref="TestLocksException">See <see cref="Name"/>.</exception>
    public static implicit operator string(LeasedMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.Name;
    }
}
