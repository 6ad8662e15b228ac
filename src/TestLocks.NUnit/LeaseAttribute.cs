using System.Collections;
using NUnit.Framework.Interfaces;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.NUnit;

/// <summary>[Lease] in this framework: its members are in src/Attributes/LeaseAttribute.cs, shared by every framework
/// package. On a parameter of type <see cref="LeasedMember"/> it also passes the member the test holds:
/// <c>[Test] public void Migrates([Lease("database")] LeasedMember db)</c> (the test's locks include the parameter's lease).</summary>
public sealed partial class LeaseAttribute : TestLocksAttribute, IParameterDataSource
{
    /// <summary>The one value of a <c>[Lease("database")] LeasedMember db</c> parameter: a handle on the member the test will hold.</summary>
    /// <exception cref="TestLocksException">The parameter is not a <see cref="LeasedMember"/>.</exception>
    public IEnumerable GetData(IParameterInfo parameter) => new[] { LeaseArguments.Member(Pool, parameter?.ParameterInfo!) };
}
