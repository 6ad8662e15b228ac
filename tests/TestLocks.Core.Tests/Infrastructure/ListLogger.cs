using Microsoft.Extensions.Logging;

namespace TestLocks.Core.Tests.Infrastructure;

/// <summary>A logger that keeps messages and lets a test await the ones it expects.</summary>
public sealed class ListLogger : ILogger
{
    private readonly List<string> _messages = [];
    private readonly List<(Func<string, bool> Match, int Count, TaskCompletionSource<IReadOnlyList<string>> Done)> _waits = [];

    public IReadOnlyList<string> Messages
    {
        get { lock (_messages) return _messages.ToList(); }
    }

    public Task<IReadOnlyList<string>> WaitForAsync(Func<string, bool> match, int count)
    {
        var tcs = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_messages) _waits.Add((match, count, tcs));
        Check();
        return tcs.Task;
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_messages) _messages.Add(formatter(state, exception));
        Check();
    }

    private void Check()
    {
        lock (_messages)
        {
            foreach (var w in _waits.ToList())
            {
                var hits = _messages.Where(w.Match).ToList();
                if (hits.Count >= w.Count && w.Done.TrySetResult(hits)) _waits.Remove(w);
            }
        }
    }
}

public sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider) { }

    public ILogger CreateLogger(string categoryName) => logger;

    public void Dispose() { }
}
