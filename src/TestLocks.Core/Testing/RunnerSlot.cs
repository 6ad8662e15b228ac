namespace TestLocks.Testing;

/// <summary>
/// One of a test runner's parallel slots, held by the flow of the test that runs in it. While that flow waits for a lock
/// (any TestLocks acquire: a test's attributes, a fixture, the body), the test gives the slot back so that the runner
/// starts another test meanwhile, and takes a slot again, ahead of tests not yet started, before it goes on. So a test
/// that waits for a lock never keeps the runner's other tests from running, and every test that holds a slot is one that
/// can run. A framework package sets <see cref="Current"/> for the flow that holds the slot (xUnit v3: the TestLocks
/// scheduler); the lock engine calls <see cref="Leave"/> when an acquire starts to wait, and
/// <see cref="ReturnAsync"/> once when that wait ends, however it ends.
/// </summary>
internal abstract class RunnerSlot
{
    private static readonly AsyncLocal<RunnerSlot?> s_current = new();

    /// <summary>The slot the current flow's test holds; null outside such a runner (then waits hold what they hold).</summary>
    public static RunnerSlot? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>A flow of the test starts to wait for a lock: the slot goes back to the runner (once, however many flows wait).</summary>
    public abstract void Leave();

    /// <summary>That wait has ended: completes once the test holds a slot again (at once while another of its flows still
    /// waits). Never throws and cannot be cancelled: the test must be able to go on, or to fail, in a slot.</summary>
    public abstract ValueTask ReturnAsync();
}
