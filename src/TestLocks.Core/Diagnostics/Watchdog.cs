namespace TestLocks.Diagnostics;

/// <summary>Calls back a block of work that runs longer than expected (a lock wait past warn_after), once or every
/// period until disposed.</summary>
internal static class Watchdog
{
    /// <summary>Calls <paramref name="report"/> with the elapsed time after <paramref name="after"/> (and every period when repeating).</summary>
    /// <remarks>A period longer than timers can represent (49.7 days) never fires. What <paramref name="report"/> throws is
    /// dropped: it runs on a timer thread, where an exception would end the process.</remarks>
    public static IDisposable Watch(TimeSpan after, bool repeat, Action<TimeSpan> report)
        => Threading.Deadline.IsUnlimitedTimeout(after) ? NeverFires.Instance : new WatchdogTimer(after, repeat, report);

    private sealed class NeverFires : IDisposable
    {
        public static readonly NeverFires Instance = new();
        public void Dispose() { }
    }

    private sealed class WatchdogTimer : IDisposable
    {
        private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();
        private readonly Action<TimeSpan> _report;
        private Timer? _timer;

        public WatchdogTimer(TimeSpan after, bool repeat, Action<TimeSpan> report)
        {
            _report = report;
            _timer = new Timer(static s => ((WatchdogTimer)s!).Fire(), this, after, repeat ? after : Timeout.InfiniteTimeSpan);
        }

        private void Fire()
        {
            if (Volatile.Read(ref _timer) is null) return;
            try
            {
                _report(System.Diagnostics.Stopwatch.GetElapsedTime(_start));
            }
#pragma warning disable CA1031 // an exception on a timer thread would end the process
            catch (Exception)
            {
            }
#pragma warning restore CA1031
        }

        public void Dispose() => Interlocked.Exchange(ref _timer, null)?.Dispose();
    }
}
