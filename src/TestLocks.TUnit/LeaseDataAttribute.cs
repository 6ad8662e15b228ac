using TestLocks.Testing;
using TestLocks.TUnit.Execution;
using TUnit.Core;
using TUnit.Core.Enums;
using TUnit.Core.Interfaces;

namespace TestLocks.TUnit;

/// <summary>[LeaseData] in this framework, a data source of one row: its members are in src/Attributes/LeaseDataAttribute.cs.
/// Like <see cref="LeaseAttribute"/>, it takes the test's locks before the [Before(Test)] hooks and releases them after
/// the [After(Test)] hooks.</summary>
/// <example>
/// <code>
/// [Test, LeaseData("database")]
/// public async Task Migrates(LeasedMember db) { await Migrate(db.Name); /* "db2" */ }
/// </code>
/// </example>
public sealed partial class LeaseDataAttribute : DataSourceGeneratorAttribute<LeasedMember>, ITestStartEventReceiver, ITestEndEventReceiver
{
    /// <summary>int.MinValue: TestLocks starts before other receivers of the same stage.</summary>
    public int Order => int.MinValue;

    EventReceiverStage ITestStartEventReceiver.Stage => EventReceiverStage.Early;

    EventReceiverStage ITestEndEventReceiver.Stage => EventReceiverStage.Late;

    /// <summary>Takes the test's locks (once per test, whichever of its TestLocks attributes TUnit calls first).</summary>
    public ValueTask OnTestStart(TestContext context) => TestLocking.AcquireAsync(context);

    /// <summary>Releases the test's locks, if they were taken.</summary>
    public ValueTask OnTestEnd(TestContext context) => TestLocking.ReleaseAsync(context);

    /// <summary>One row: a handle on the member the test will hold.</summary>
    protected override IEnumerable<Func<LeasedMember>> GenerateDataSources(DataGeneratorMetadata dataGeneratorMetadata)
    {
        yield return () => new LeasedMember(Pool);
    }
}
