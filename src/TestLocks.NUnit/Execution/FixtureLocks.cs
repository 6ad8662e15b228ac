using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace TestLocks.NUnit.Execution;

/// <summary>Fixture-wide locks: taken in <see cref="TestLocksFixture"/>'s OneTimeSetUp, released in its OneTimeTearDown
/// after the fixture's cleanups.</summary>
internal static class FixtureLocks
{
    public static void Enter(TestExecutionContext context)
    {
        var fixture = context.CurrentTest;
        if (fixture.TypeInfo?.Type is not { } type) return;
        var locked = ScopeLocks.StartFixture(fixture, type);
        locked.Acquire(context.CancellationToken); // a failed acquire ends the scope itself
        if (locked.Handles.Count > 0) Scopes.Of(fixture).Locks = locked;
    }

    public static void Leave(ITest fixture)
    {
        var scope = Scopes.Take(fixture);
        if (scope is null) return;
        try
        {
            scope.Cleanups.CleanUp();
        }
        finally
        {
            scope.Locks?.Dispose();
        }
    }
}
