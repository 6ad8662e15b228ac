using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace TestLocks.Processes.Execution;

/// <summary>
/// oslo.concurrency's <c>watchdog</c> for one command (<see cref="ExecuteOptions.WatchdogAfter"/>): if the command has
/// not ended <c>after</c> its start, one warning "CMD "..." not completed after N.NNNs" is logged. Dispose it when the
/// command ends.
/// </summary>
internal sealed class CommandWatchdog : IDisposable
{
    /// <summary>The longest period a timer can wait (about 49.7 days); a longer one never fires.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly ILogger _logger;
    private readonly LogLevel _level;
    private readonly string _action;
    private Timer? _timer;

    /// <summary>Starts watching <paramref name="action"/> (what the block does, as it should read in the log).</summary>
    public CommandWatchdog(ILogger logger, string action, LogLevel level, TimeSpan after)
    {
        (_logger, _action, _level) = (logger, action, level);
        if (after > Longest) return;
        _timer = new Timer(static s => ((CommandWatchdog)s!).Fire(), this, after, Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        if (Volatile.Read(ref _timer) is null || !_logger.IsEnabled(_level)) return;
        try
        {
#pragma warning disable CA1848, CA2254 // the text is built when it is logged, once
            _logger.Log(_level, $"{_action} not completed after {Stopwatch.GetElapsedTime(_start).TotalSeconds:0.000}s");
#pragma warning restore CA1848, CA2254
        }
#pragma warning disable CA1031 // a logger's exception on a timer thread would end the process
        catch (Exception)
        {
        }
#pragma warning restore CA1031
    }

    public void Dispose() => Interlocked.Exchange(ref _timer, null)?.Dispose();
}
