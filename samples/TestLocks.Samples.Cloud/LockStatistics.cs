using System.Globalization;
using Microsoft.Extensions.Logging;

namespace TestLocks.Samples.Cloud;

/// <summary>
/// A TestLocks log sink for the demo: every acquired and released lock of this process becomes a line
/// <c>acquired|name|waited-seconds|timestamp</c> or <c>released|name|held-seconds|timestamp</c> in
/// <c>$TESTLOCKS_DEMO_STATS/pid.log</c>, the timestamp from <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>
/// (CLOCK_MONOTONIC: comparable across the processes of one machine).
/// </summary>
public sealed class LockStatistics : ILoggerFactory, ILogger
{
    /// <summary>The environment variable naming the directory for the statistics files; the demo sets it.</summary>
    public const string Variable = "TESTLOCKS_DEMO_STATS";

    private readonly StreamWriter _file;

    private LockStatistics(string directory)
    {
        Directory.CreateDirectory(directory);
        _file = new StreamWriter(Path.Combine(directory, $"{Environment.ProcessId}.log"), append: true) { AutoFlush = true };
    }

    /// <summary>A factory whose log comes here when <c>$TESTLOCKS_DEMO_STATS</c> is set; else <see cref="LockFactory.Default"/>.</summary>
    public static LockFactory FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } directory
            ? new LockFactory(TestLocksSettings.Load(), new LockStatistics(directory))
            : LockFactory.Default;

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() => _file.Dispose();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        // TestLocks' events: 2 = "Lock X acquired :: waited", 3 = "Lock X released :: held".
        if (eventId.Id is not (2 or 3) || state is not IReadOnlyList<KeyValuePair<string, object?>> values) return;
        var name = values.First(v => v.Key == "Name").Value;
        var seconds = Convert.ToDouble(values.First(v => v.Key is "Waited" or "Held").Value, CultureInfo.InvariantCulture);
        lock (_file) _file.WriteLine(FormattableString.Invariant($"{(eventId.Id == 2 ? "acquired" : "released")}|{name}|{seconds}|{System.Diagnostics.Stopwatch.GetTimestamp()}"));
    }
}

/// <summary>Put on a sample test assembly (<c>[assembly: DemoLocks]</c>): its test locks log to the demo's statistics.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class DemoLocksAttribute : TestLocks.Testing.LockFactoryAttribute
{
    /// <inheritdoc />
    public override LockFactory Create() => LockStatistics.FromEnvironment();
}
