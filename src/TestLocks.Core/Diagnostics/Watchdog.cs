using Microsoft.Extensions.Logging;

namespace TestLocks.Diagnostics;

/// <summary>
/// Logs a block of work that runs longer than expected, like oslo.concurrency's <c>watchdog</c>:
/// <c>using (Watchdog.Watch(logger, "create server", LogLevel.Warning, TimeSpan.FromSeconds(30))) { ... }</c>
/// logs "create server not completed after 30.000s" if the block is still running then.
/// </summary>
public static class Watchdog
{
    /// <summary>
    /// Starts watching a block. Dispose the returned object when the block ends; if it has not ended after
    /// <paramref name="after"/>, one message "<paramref name="action"/> not completed after N s" is logged.
    /// </summary>
    /// <param name="logger">Where the message goes.</param>
    /// <param name="action">What the block does, as it should read in the log.</param>
    /// <param name="level">The level of the message.</param>
    /// <param name="after">How long the block may run before it is reported.</param>
    public static IDisposable Watch(ILogger logger, string action, LogLevel level, TimeSpan after)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(action);
        return Watch(logger, level, after, repeat: false, elapsed => $"{action} not completed after {elapsed.TotalSeconds:0.000}s");
    }

    /// <summary>
    /// Starts watching a block and reports it through <paramref name="message"/> after <paramref name="after"/>,
    /// and, when <paramref name="repeat"/> is true, again every <paramref name="after"/> until disposed.
    /// The message is built when it is logged, so it can say what is true at that moment (who holds a lock).
    /// </summary>
    public static IDisposable Watch(ILogger logger, LogLevel level, TimeSpan after, bool repeat, Func<TimeSpan, string> message)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(message);
        if (after <= TimeSpan.Zero || after == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(after), after, "The watchdog period must be a positive time span, for example TimeSpan.FromSeconds(30).");
        }
        if (Threading.Deadline.IsUnlimitedTimeout(after)) return NeverFires.Instance;
        return new WatchdogTimer(after, repeat, elapsed =>
        {
            if (logger.IsEnabled(level))
            {
#pragma warning disable CA1848, CA2254 // the text is built at report time on purpose; this path is rare
                logger.Log(level, message(elapsed));
#pragma warning restore CA1848, CA2254
            }
        });
    }

    /// <summary>Calls <paramref name="report"/> with the elapsed time after <paramref name="after"/> (and every period when repeating).</summary>
    /// <remarks>A period longer than timers can represent (49.7 days) never fires. What <paramref name="report"/> throws is
    /// dropped: it runs on a timer thread, where an exception would end the process.</remarks>
    internal static IDisposable Watch(TimeSpan after, bool repeat, Action<TimeSpan> report)
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
