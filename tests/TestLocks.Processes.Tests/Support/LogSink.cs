using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TestLocks.Processes.Tests.Support;

/// <summary>A real logger that keeps every formatted record, so tests can read what a user would see in their logs.</summary>
internal sealed class LogSink(LogLevel minimum = LogLevel.Trace) : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _records = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Records => [.. _records];

    public IEnumerable<string> Messages => _records.Select(r => r.Message);

    public string Text => string.Join('\n', Messages);

    /// <summary>Completes when a record matching <paramref name="match"/> is logged.</summary>
    public Task WhenLogged(Func<string, bool> match)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (_records.Any(r => match(r.Message))) seen.SetResult();
            else _waiters.Add((match, seen));
        }
        return seen.Task;
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var message = formatter(state, exception);
        _records.Enqueue((logLevel, message));
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => w.Match(message)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
