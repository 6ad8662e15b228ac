using System.Reflection;
using TUnit.Core;

namespace TestLocks.TUnit.Scheduling;

/// <summary>
/// TUnit's session-wide parallel limit, reached through its internals (TUnit 1.81): the session's services
/// (<c>TestContext.ServiceProvider</c>) hold the scheduler (<c>ITestScheduler</c>), whose <c>MaxParallelismLimiter</c>
/// holds two lazies: <c>_maxParallelism</c>, the number of <c>Parallel.ForEachAsync</c> workers of each parallel phase,
/// and <c>_semaphore</c>, the counts every test of the parallel and keyed phases takes before it starts. Installing puts
/// <see cref="SessionSlots"/> in their place before TUnit reads them: the same P counts, but P + W workers, so that W
/// tests waiting for a TestLocks lock (each on a worker, its count given back) leave P workers to run the others.
/// </summary>
internal static class TUnitLimiter
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly PropertyInfo? s_services = typeof(TestContext).GetProperty("ServiceProvider", Instance);

    /// <summary>The services of the session <paramref name="context"/> runs in (the key of its slots); null if this TUnit has none.</summary>
    public static IServiceProvider? ServicesOf(TestContext context) => s_services?.GetValue(context) as IServiceProvider;

    /// <summary>Puts slots with TUnit's own limit and <paramref name="spareWorkers"/> more workers in the session of
    /// <paramref name="context"/>; returns them, or null with <paramref name="problem"/> saying why not (TUnit's
    /// internals differ, or it already scheduled tests): then TUnit's limit stays as it is.</summary>
    public static SessionSlots? Install(TestContext context, int spareWorkers, out string? problem)
    {
        problem = SessionSlots.Problem;
        if (problem is not null) return null;
        if (ServicesOf(context) is not { } services) return Fail("TestContext.ServiceProvider", out problem);
        var schedulerType = services.GetType().Assembly.GetType("TUnit.Engine.Scheduling.ITestScheduler");
        if (schedulerType is null || services.GetService(schedulerType) is not { } scheduler) return Fail("ITestScheduler", out problem);
        if (scheduler.GetType().GetField("_maxParallelismLimiter", Instance)?.GetValue(scheduler) is not { } limiter) return Fail("TestScheduler._maxParallelismLimiter", out problem);
        var workersField = limiter.GetType().GetField("_maxParallelism", Instance);
        var countsField = limiter.GetType().GetField("_semaphore", Instance);
        if (workersField?.GetValue(limiter) is not Lazy<int> workers) return Fail("MaxParallelismLimiter._maxParallelism (Lazy<int>)", out problem);
        if (countsField?.GetValue(limiter) is not Lazy<SemaphoreSlim> counts) return Fail("MaxParallelismLimiter._semaphore (Lazy<SemaphoreSlim>)", out problem);
        if (workers.IsValueCreated || counts.IsValueCreated)
        {
            problem = "TUnit had already started to schedule tests when TestLocks looked";
            return null;
        }
        var slots = new SessionSlots(workers.Value); // TUnit's own limit, as it resolves it (command line, environment, settings, default)
        workersField.SetValue(limiter, new Lazy<int>(slots.Size + spareWorkers));
        countsField.SetValue(limiter, new Lazy<SemaphoreSlim>(slots.Semaphore));
        return slots;
    }

    private static SessionSlots? Fail(string missing, out string problem)
    {
        var assembly = typeof(TestContext).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString();
        problem = $"TestLocks.TUnit cannot give the parallel slot of a test that waits for a lock back to TUnit {version}: its {missing} differs "
            + "from the TUnit versions TestLocks supports (1.81). Waiting tests keep their slots; report the TUnit version to TestLocks.";
        return null;
    }
}
