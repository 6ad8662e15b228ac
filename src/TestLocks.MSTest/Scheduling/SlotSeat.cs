using TestLocks.Adapters;

namespace TestLocks.MSTest.Scheduling;

/// <summary>One test's (one data row's) slot of <see cref="ParallelSlots"/>, as the engine's <see cref="RunnerSlot"/>
/// for the flow MSTest runs the test in: taken before the test's locks, away while any of its flows waits for a lock,
/// taken back when the last one is done waiting, freed when the test ends. Once ended, waits of flows it left behind
/// count no more.</summary>
internal sealed class SlotSeat(ParallelSlots slots, Func<bool> testEnded) : RunnerSlot
{
    private readonly object _gate = new();
    private int _waits;
    private bool _ended;

    /// <summary>Set by <see cref="ParallelSlots"/> when the seat got its slot.</summary>
    public bool Entered { get; set; }

    /// <summary>MSTest has disposed the test's TestContext: the test has ended, with or without [GlobalTestCleanup].</summary>
    public bool TestEnded => testEnded();

    public Task EnterAsync(CancellationToken cancellationToken) => slots.EnterAsync(this, cancellationToken);

    public override void Leave()
    {
        lock (_gate)
        {
            if (_ended || !Entered || _waits++ > 0) return;
        }
        slots.Release(this, ended: false);
    }

    public override void Rejoin()
    {
        int? running;
        lock (_gate)
        {
            if (_ended || !Entered || _waits == 0 || --_waits > 0) return;
            running = slots.TakeBack();
        }
        if (running is { } over) NoteOverdraft("mstest", over, slots.Size);
    }

    /// <summary>The test has ended (or failed to start): its slot is free, unless a wait of it had given it back already. Idempotent.</summary>
    public void End()
    {
        bool release;
        lock (_gate)
        {
            if (_ended) return;
            _ended = true;
            release = Entered && _waits == 0;
            _waits = 0;
        }
        if (release) slots.Release(this, ended: true);
        else slots.Forget(this);
    }
}
