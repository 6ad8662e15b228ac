using System.Diagnostics;

namespace TestLocks.Threading;

/// <summary>
/// A point in time a wait must end by, on the monotonic clock. A timeout longer than the platform's timers can
/// represent (about 24.8 days for Task.Wait, 49.7 for timers) means no limit: any such wait is, for a test run,
/// a wait without limit, and treating it so keeps every timer API in range.
/// </summary>
internal readonly struct Deadline
{
    /// <summary>The longest timeout that is a limit; anything longer is no limit.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    private readonly long _at; // Stopwatch timestamp; long.MaxValue: none

    private Deadline(long at) => _at = at;

    /// <summary>The deadline <paramref name="timeout"/> from now (Timeout.InfiniteTimeSpan, or more than
    /// <see cref="Longest"/>: none).</summary>
    public static Deadline After(TimeSpan timeout) => IsUnlimitedTimeout(timeout)
        ? new Deadline(long.MaxValue)
        : new Deadline(Stopwatch.GetTimestamp() + (long)(Math.Max(0, timeout.TotalSeconds) * Stopwatch.Frequency));

    /// <summary>Whether <paramref name="timeout"/> means no limit.</summary>
    public static bool IsUnlimitedTimeout(TimeSpan timeout) => timeout == Timeout.InfiniteTimeSpan || timeout > Longest;

    /// <summary>Returns <paramref name="timeout"/>, or Timeout.InfiniteTimeSpan when it means no limit.</summary>
    public static TimeSpan Normalize(TimeSpan timeout) => IsUnlimitedTimeout(timeout) ? Timeout.InfiniteTimeSpan : timeout;

    /// <summary>Whether there is no limit.</summary>
    public bool IsUnlimited => _at == long.MaxValue;

    /// <summary>Whether the deadline has passed.</summary>
    public bool HasPassed => !IsUnlimited && Stopwatch.GetTimestamp() >= _at;

    /// <summary>The time left, rounded up to whole milliseconds so a timer never ends a wait early; Timeout.InfiniteTimeSpan
    /// when unlimited, zero when passed.</summary>
    public TimeSpan Remaining
    {
        get
        {
            if (IsUnlimited) return Timeout.InfiniteTimeSpan;
            var left = _at - Stopwatch.GetTimestamp();
            if (left <= 0) return TimeSpan.Zero;
            return TimeSpan.FromMilliseconds(Math.Ceiling(left * 1000.0 / Stopwatch.Frequency));
        }
    }
}
