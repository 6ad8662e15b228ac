using TestLocks.Diagnostics;

namespace TestLocks.Adapters;

/// <summary>
/// One of a test runner's parallel slots, held by the flow of the test that runs in it. While that flow waits for a lock
/// (any TestLocks acquire: a test's attributes, a fixture, the body), the test gives the slot back so that the runner
/// starts another test meanwhile; when the wait ends, however it ends, the test takes its slot back at once, over the
/// runner's limit when no slot is free (an overdraft), and the runner absorbs that overdraft from the next slot freed
/// instead of starting another test. So a test never waits for a slot, and a TestLocks lock is never held while waiting
/// for any runner resource: no lock-order inversion between slots and locks can exist. Concurrency exceeds the
/// configured slots only by tests that came back from a wait, and only until as many running tests have ended (counted
/// by <see cref="Overdrafts"/> and the <c>testlocks.runner.overdrafts</c> instrument, and said in the log at Information).
/// A framework package sets <see cref="Current"/> for the flow that holds the slot (xUnit v3: the TestLocks scheduler;
/// NUnit: the command around a locked test); the lock engine calls <see cref="Leave"/> when an acquire starts to wait,
/// and <see cref="Rejoin"/> once when that wait ends.
/// </summary>
public abstract class RunnerSlot
{
    /// <summary>For framework packages' schedulers.</summary>
    protected RunnerSlot()
    {
    }

    private static readonly AsyncLocal<RunnerSlot?> s_current = new();
    private static long s_overdrafts;

    /// <summary>The slot the current flow's test holds; null outside such a runner (then waits hold what they hold).</summary>
    public static RunnerSlot? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>How many times, in this process, a test came back from a wait while no slot was free and ran over the limit.</summary>
    internal static long Overdrafts => Interlocked.Read(ref s_overdrafts);

    /// <summary>A flow of the test starts to wait for a lock: the slot goes back to the runner (once, however many flows wait).</summary>
    public abstract void Leave();

    /// <summary>That wait has ended: the test holds a slot again when this returns, over the limit if none was free.
    /// Never blocks, never throws, cannot be cancelled: the test must be able to go on, or to fail, in a slot, and it may
    /// hold locks now, which must never wait for a runner resource. After the test (or its collection) has ended it
    /// takes nothing.</summary>
    public abstract void Rejoin();

    /// <summary>For runners: a test came back from a wait with no slot free, so <paramref name="running"/> tests now run
    /// in <paramref name="slots"/> slots until the next ones end.</summary>
    protected static void NoteOverdraft(string runner, int running, int slots)
    {
        Interlocked.Increment(ref s_overdrafts);
        try
        {
            LockFactory.Default.Log.Overdraft(runner, running, slots); // said, at Information, to the log tests configure
        }
#pragma warning disable CA1031 // diagnostics only: a slot's return never throws (a bad INI fails the next acquire instead)
        catch (Exception)
        {
        }
#pragma warning restore CA1031
        LockInstruments.Overdrafts.Add(1, new KeyValuePair<string, object?>("runner", runner),
            new KeyValuePair<string, object?>("running", running), new KeyValuePair<string, object?>("slots", slots));
    }
}
