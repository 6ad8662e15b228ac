using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.MSTest;

/// <summary>[LeaseData] in MSTest, a data source of one row: its members are in src/Attributes/LeaseDataAttribute.cs.
/// TestLocks' MSTest hook takes the lease with the test's other locks.</summary>
/// <example>
/// <code>
/// [TestMethod, LeaseData("database")]
/// public void Migrates(LeasedMember db) { Migrate(db.Name); /* "db2" */ }
/// </code>
/// </example>
public sealed partial class LeaseDataAttribute : Attribute, ITestDataSource
{
    /// <summary>One row: a handle on the member the test will hold.</summary>
    /// <exception cref="TestLocksException">The method does not take one <see cref="LeasedMember"/>; the message says what to write.</exception>
    public IEnumerable<object?[]> GetData(MethodInfo methodInfo) => [[LeaseArguments.Row(Pool, methodInfo)]];

    /// <summary>The method's name and the pool: the member is known only once the test holds it.</summary>
    public string? GetDisplayName(MethodInfo methodInfo, object?[]? data) => $"{methodInfo?.Name} ({Pool})";
}
