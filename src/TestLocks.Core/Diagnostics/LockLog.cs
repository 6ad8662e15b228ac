using Microsoft.Extensions.Logging;

namespace TestLocks.Diagnostics;

/// <summary>
/// The log lines of a lock's life, worded as oslo.concurrency words them, so existing log greps keep working.
/// A logger that throws is the application's bug, but it must not fail an acquire, leave a lock half taken, or end
/// the process from a timer thread: every call here swallows what the logger throws.
/// </summary>
#pragma warning disable CA1031 // see above: a logger's failure is never the lock's
internal sealed partial class LockLog(ILogger logger)
{
    public ILogger Logger { get; } = logger;

    public void Acquiring(string name, string owner)
    {
        try { if (Logger.IsEnabled(LogLevel.Debug)) LogAcquiring(Logger, name, owner); }
        catch (Exception) { }
    }

    public void Acquired(string name, string owner, TimeSpan waited)
    {
        try { if (Logger.IsEnabled(LogLevel.Debug)) LogAcquired(Logger, name, owner, waited.TotalSeconds); }
        catch (Exception) { }
    }

    /// <summary>Logs a release; the time held is read from <paramref name="acquiredAt"/> (a Stopwatch timestamp) only
    /// when the log takes it.</summary>
    public void Released(string name, string owner, long acquiredAt)
    {
        try
        {
            if (!Logger.IsEnabled(LogLevel.Debug)) return;
            var held = System.Diagnostics.Stopwatch.GetElapsedTime(acquiredAt).TotalSeconds;
            LogReleased(Logger, name, owner, held);
        }
        catch (Exception) { }
    }

    public void StillWaiting(LockWaitNotice notice)
    {
        try { if (Logger.IsEnabled(LogLevel.Warning)) LogStillWaiting(Logger, notice.LockName, notice.Location, notice.Waited.TotalSeconds,
            (notice.Holders is { } holders ? $"{holders.Count} of {notice.Slots} slots: {string.Join("; ", holders)}" : notice.Holder?.ToString() ?? "an unknown holder")
            + (notice.Deadlock is { } cycle ? "; DEADLOCK in this process: " + string.Join("; ", cycle) : "")); }
        catch (Exception) { }
    }

    /// <summary>Gives <paramref name="notice"/> to a caller's OnWaiting callback: what the callback throws is logged and
    /// dropped, never the acquire's failure.</summary>
    public void Notify(Action<LockWaitNotice> onWaiting, LockWaitNotice notice)
    {
        try
        {
            onWaiting(notice);
        }
#pragma warning disable CA1031 // a user's callback must not fail the acquire
        catch (Exception e)
        {
            CallbackFailed(notice.LockName, e);
        }
#pragma warning restore CA1031
    }

    public void CallbackFailed(string name, Exception error)
    {
        try { if (Logger.IsEnabled(LogLevel.Warning)) LogCallbackFailed(Logger, error, name); }
        catch (Exception) { }
    }

    public void JournalFailed(string folder, Exception error)
    {
        try { if (Logger.IsEnabled(LogLevel.Warning)) LogJournalFailed(Logger, error, folder); }
        catch (Exception) { }
    }

    public void Overdraft(string runner, int running, int slots)
    {
        try { if (Logger.IsEnabled(LogLevel.Information)) LogOverdraft(Logger, runner, running, slots); }
        catch (Exception) { }
    }
#pragma warning restore CA1031

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "A test back from its lock wait goes on at once: {Running} tests now run in the {Slots} parallel slots of {Runner}, until as many end (a test holding a lock never waits for a slot)")]
    private static partial void LogOverdraft(ILogger logger, string runner, int running, int slots);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The run journal cannot be written in \"{Folder}\" (events, TESTLOCKS_EVENTS); this process records no more lock events")]
    private static partial void LogJournalFailed(ILogger logger, Exception error, string folder);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "The OnWaiting callback of lock \"{Name}\" threw; the wait goes on")]
    private static partial void LogCallbackFailed(ILogger logger, Exception error, string name);

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Acquiring lock \"{Name}\" by \"{Owner}\"")]
    private static partial void LogAcquiring(ILogger logger, string name, string owner);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Lock \"{Name}\" acquired by \"{Owner}\" :: waited {Waited:0.000}s")]
    private static partial void LogAcquired(ILogger logger, string name, string owner, double waited);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Lock \"{Name}\" \"released\" by \"{Owner}\" :: held {Held:0.000}s")]
    private static partial void LogReleased(ILogger logger, string name, string owner, double held);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Still waiting for lock \"{Name}\" ({Location}) after {Waited:0.0}s, held by {Holder}")]
    private static partial void LogStillWaiting(ILogger logger, string name, string location, double waited, string holder);
}
