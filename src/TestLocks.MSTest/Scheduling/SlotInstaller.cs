using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace TestLocks.MSTest.Scheduling;

/// <summary>
/// Raises MSTest's workers for a test assembly to P + W (<see cref="MSTestWorkers"/>), W being the tests that have a
/// TestLocks attribute (each may wait for a lock on a worker of its own), and keeps P with <see cref="ParallelSlots"/>,
/// which every test of the assembly passes in TestLocks' [GlobalTestInitialize] hook before it takes its locks. Done when
/// MSTest constructs the assembly's attributes (<see cref="ParallelSlotsAttribute"/>), before it starts its workers, once
/// per MSTest settings object and never once a test has started; anything unexpected leaves MSTest's workers as they
/// are, which is today's behaviour (waiting tests keep their workers).
/// </summary>
internal static class SlotInstaller
{
    [ThreadStatic] private static bool t_installing;
    private static WeakReference<object>? s_settings;
    private static ParallelSlots? s_slots;
    private static int s_testsStarted;

    /// <summary>Why waiting tests keep their workers in this process; null when nothing went wrong.</summary>
    public static string? Problem { get; private set; }

    /// <summary>The slots of this run; null when MSTest's workers are its own.</summary>
    public static ParallelSlots? Slots => s_slots;

    public static void Install(Assembly assembly)
    {
        if (t_installing || Volatile.Read(ref s_testsStarted) != 0) return;
        t_installing = true;
        try
        {
            var settings = MSTestWorkers.CurrentSettings(out var problem);
            if (settings is null || (s_settings is not null && s_settings.TryGetTarget(out var raised) && ReferenceEquals(raised, settings)))
            {
                Problem ??= problem;
                return;
            }
            s_slots = null;
            if (MSTestWorkers.Of(settings, assembly) is not { } size) return;
            var spare = MarkedTests(assembly);
            if (spare == 0) return;
            if (TestContextEnd.Problem is { } missing)
            {
                Problem = missing;
                return;
            }
            var slots = new ParallelSlots(size, size + spare);
            MSTestWorkers.Set(settings, slots.Workers);
            s_settings = new WeakReference<object>(settings);
            s_slots = slots;
        }
#pragma warning disable CA1031 // MSTest's internals, not ours: whatever they throw, the run goes on with MSTest's own workers
        catch (Exception e)
#pragma warning restore CA1031
        {
            Problem = $"TestLocks.MSTest cannot give the parallel workers of waiting tests back to MSTest ({e.GetType().Name}: {e.Message}); waiting tests keep their workers.";
        }
        finally
        {
            t_installing = false;
        }
    }

    /// <summary>The seat a test takes its slot in, or null when this run has no slots of TestLocks (nor MSTest's workers
    /// raised: a later run request of the same process, as an IDE makes, has settings of its own).</summary>
    public static SlotSeat? Seat(TestContext context) =>
        s_slots is { } slots && s_settings is { } raised && raised.TryGetTarget(out var settings) && ReferenceEquals(settings, MSTestWorkers.Current)
            ? new SlotSeat(slots, () => TestContextEnd.Ended(context))
            : null;

    /// <summary>A test starts (before anything can construct the assembly's attributes for it): from now on MSTest's workers are what they are.</summary>
    public static void TestStarting()
    {
        if (Volatile.Read(ref s_testsStarted) == 0) Interlocked.Exchange(ref s_testsStarted, 1);
    }

    /// <summary>Test methods (data rows counted) with a TestLocks attribute on the method, its class or the assembly.
    /// Typed lookups only: constructing every attribute of the assembly would construct <see cref="ParallelSlotsAttribute"/> again.</summary>
    private static int MarkedTests(Assembly assembly)
    {
        var all = assembly.IsDefined(typeof(TestLocksAttribute), inherit: false);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = [.. e.Types.OfType<Type>()];
        }
        var count = 0;
        foreach (var type in types.Where(t => t.IsDefined(typeof(TestClassAttribute), inherit: true)))
        {
            var marked = all || type.IsDefined(typeof(TestLocksAttribute), inherit: true);
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (!method.IsDefined(typeof(TestMethodAttribute), inherit: true) || !(marked || method.IsDefined(typeof(TestLocksAttribute), inherit: true))) continue;
                count += Math.Max(1, method.GetCustomAttributes(typeof(DataRowAttribute), inherit: true).Length);
            }
        }
        return count;
    }
}
