using System.Runtime.CompilerServices;
using TestLocks.Adapters;
using TUnit.Core;
using TUnit.Core.Logging;

namespace TestLocks.TUnit.Scheduling;

/// <summary>
/// Puts <see cref="SessionSlots"/> in TUnit's limiter once discovery has found the tests and before TUnit schedules any
/// (an [After(TestDiscovery)] hook, which TUnit registers from this assembly as soon as a test project loads it), with one
/// spare worker per test that has a TestLocks attribute (each may wait on a worker while its count is lent); and gives the
/// attribute's start of a test its seat for the acquire (<see cref="Enter"/>).
/// </summary>
internal static class SlotInstaller
{
    private static readonly ConditionalWeakTable<IServiceProvider, SessionSlots> s_sessions = new();

    /// <summary>TUnit calls this once discovery has found the tests of the session.</summary>
    [After(HookType.TestDiscovery)]
    public static void InstallSlots(TestDiscoveryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var marked = context.AllTests.Count(t => t.Metadata.TestDetails.GetAllAttributes().OfType<TestLocksAttribute>().Any());
        if (marked == 0 || TUnitLimiter.ServicesOf(context.AllTests[0]) is not { } services || s_sessions.TryGetValue(services, out _)) return;
        string? problem;
        try
        {
            if (TUnitLimiter.Install(context.AllTests[0], marked, out problem) is { } slots)
            {
                s_sessions.AddOrUpdate(services, slots);
                return;
            }
        }
#pragma warning disable CA1031 // TUnit's internals, not ours: whatever they throw, the run goes on with TUnit's own limit
        catch (Exception e)
#pragma warning restore CA1031
        {
            problem = $"TestLocks.TUnit cannot lend the parallel slots of waiting tests in this TUnit session ({e.GetType().Name}: {e.Message}); waiting tests keep their slots.";
        }
        GlobalContext.Current.GlobalLogger.LogWarning(problem!);
    }

    /// <summary>For the flow that takes <paramref name="context"/>'s locks: sets its seat as <see cref="RunnerSlot.Current"/>
    /// until the returned scope ends, which takes the count back if a wait left it away. Null when the test holds no
    /// count of TUnit's limit (a [NotInParallel] test without keys runs in a sequential phase that takes none) or the
    /// session has no slots of ours.</summary>
    internal static IDisposable? Enter(TestContext context)
    {
        if (TUnitLimiter.ServicesOf(context) is not { } services || !s_sessions.TryGetValue(services, out var slots)) return null;
        var constraints = context.Parallelism.Constraints;
        if (constraints.Any(c => c is NotInParallelConstraint { NotInParallelConstraintKeys.Count: 0 }) && !constraints.Any(c => c is ParallelGroupConstraint)) return null;
        return new Scope(new SlotSeat(slots));
    }

    private sealed class Scope : IDisposable
    {
        private readonly SlotSeat _seat;
        private readonly RunnerSlot? _outer;

        public Scope(SlotSeat seat)
        {
            _seat = seat;
            _outer = RunnerSlot.Current;
            RunnerSlot.Current = seat;
        }

        public void Dispose()
        {
            RunnerSlot.Current = _outer;
            _seat.End();
        }
    }
}
