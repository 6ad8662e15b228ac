using System.Reflection;
using TestLocks.Adapters;
using TestLocks.Testing;
#if XUNIT_V3
using Xunit;
using Xunit.Sdk;
using Xunit.v3;
#else
using Xunit.Sdk;
#endif

namespace TestLocks.Xunit;

/// <summary>[LeaseData] in xUnit, a theory's data of one row: its members are in src/Attributes/LeaseDataAttribute.cs.
/// TestLocks' xUnit hook takes the lease with the test's other locks. The row is made when the theory runs, not at
/// discovery: its <see cref="LeasedMember"/> is a handle, not data xUnit can serialize.</summary>
/// <example>
/// <code>
/// [Theory, LeaseData("database")]
/// public void Migrates(LeasedMember db) { Migrate(db.Name); /* "db2" */ }
/// </code>
/// </example>
public sealed partial class LeaseDataAttribute : DataAttribute
{
#if XUNIT_V3
    /// <summary>One row: a handle on the member the test will hold.</summary>
    /// <exception cref="TestLocksException">The method does not take one <see cref="LeasedMember"/>; the message says what to write.</exception>
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        ValueTask.FromResult<IReadOnlyCollection<ITheoryDataRow>>([new TheoryDataRow(LeaseArguments.Row(Pool, testMethod))]);

    /// <summary>False: the row is made when the theory runs.</summary>
    public override bool SupportsDiscoveryEnumeration() => false;
#else
    /// <summary>One row: a handle on the member the test will hold (xUnit, which cannot serialize it, makes it when the theory runs).</summary>
    /// <exception cref="TestLocksException">The method does not take one <see cref="LeasedMember"/>; the message says what to write.</exception>
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[LeaseArguments.Row(Pool, testMethod)]];
#endif
}
