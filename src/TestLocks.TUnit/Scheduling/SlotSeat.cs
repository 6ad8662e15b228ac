using TestLocks.Adapters;

namespace TestLocks.TUnit.Scheduling;

/// <summary>One test's count of <see cref="SessionSlots"/>, as the engine's <see cref="RunnerSlot"/> for the flow that
/// takes its locks: away while any of its flows waits, taken back when the last one is done waiting. Once the seat has
/// ended (its locks are taken, or taking them failed), waits of flows it left behind count no more.</summary>
internal sealed class SlotSeat(SessionSlots slots) : RunnerSlot
{
    private readonly object _gate = new();
    private int _waits;
    private bool _ended;

    public override void Leave()
    {
        lock (_gate)
        {
            if (_ended || _waits++ > 0) return;
            slots.Give();
        }
    }

    public override void Rejoin()
    {
        lock (_gate)
        {
            if (_ended || _waits == 0 || --_waits > 0) return;
            if (slots.TakeBack() is { } running) NoteOverdraft("tunit", running, slots.Size);
        }
    }

    /// <summary>The test holds its count again, whatever its flows still do; later waits of theirs take nothing.</summary>
    public void End()
    {
        lock (_gate)
        {
            if (_ended) return;
            _ended = true;
            if (_waits == 0) return;
            _waits = 0;
            _ = slots.TakeBack();
        }
    }
}
