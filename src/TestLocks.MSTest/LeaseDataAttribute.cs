using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
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
    public IEnumerable<object?[]> GetData(MethodInfo methodInfo) => [[new LeasedMember(Pool)]];

    /// <summary>The method's name and the pool: the member is known only once the test holds it.</summary>
    public string? GetDisplayName(MethodInfo methodInfo, object?[]? data) => $"{methodInfo?.Name} ({Pool})";
}
