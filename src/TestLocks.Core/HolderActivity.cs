namespace TestLocks;

/// <summary>Whether a lock's holder is alive and making progress, as seen from this machine: shown in every wait notice
/// so that a person can tell a busy holder from a stuck or dead one.</summary>
public sealed class HolderActivity
{
    /// <summary>Creates a look at a holder.</summary>
    /// <param name="alive">See <see cref="Alive"/>.</param>
    /// <param name="state">See <see cref="State"/>.</param>
    /// <param name="cpuTime">See <see cref="CpuTime"/>.</param>
    /// <param name="interval">See <see cref="Interval"/>.</param>
    public HolderActivity(bool? alive, string? state, TimeSpan? cpuTime, TimeSpan interval)
    {
        Alive = alive;
        State = state;
        CpuTime = cpuTime;
        Interval = interval;
    }

    /// <summary>False when the holder's process is gone or a zombie; null when it runs on another host (the backend's
    /// record is all there is).</summary>
    public bool? Alive { get; }

    /// <summary>The process state as Linux reports it in <c>/proc/PID/stat</c> ("running", "sleeping", "disk sleep",
    /// "stopped", "zombie"), when known.</summary>
    public string? State { get; }

    /// <summary>CPU time (user + system) the holder's process used during <see cref="Interval"/>, with the processes it
    /// started on Linux (a holder whose child does the work is working), when this is not the first look at it.</summary>
    public TimeSpan? CpuTime { get; }

    /// <summary>How long ago the previous look at the holder was.</summary>
    public TimeSpan Interval { get; }

    /// <summary>"alive (sleeping), 0.42s CPU in the last 5.0s", "gone", or "on another host".</summary>
    public override string ToString()
    {
        if (Alive is null) return "on another host: liveness unknown";
        if (Alive == false) return State is null ? "its process is gone" : $"its process is {State}";
        var state = State is null ? "alive" : $"alive ({State})";
        return CpuTime is { } cpu ? $"{state}, {cpu.TotalSeconds:0.00}s CPU in the last {Interval.TotalSeconds:0.0}s" : state;
    }
}
