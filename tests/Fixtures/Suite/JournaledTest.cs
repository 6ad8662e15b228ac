using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

[assembly: Fx.JournaledLocks]

namespace Fx;

/// <summary>The surface takes this assembly's test locks from <see cref="JournaledTest.Factory"/>.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class JournaledLocksAttribute : TestLocks.Testing.LockFactoryAttribute
{
    public override LockFactory Create() => JournaledTest.Factory;
}

/// <summary>
/// A fixture test class that journals each phase of its life as <c>pid|Class#n|phase|locks</c>, where <c>locks</c> are
/// the locks its attributes declare (<c>name</c> for writing, <c>name:r</c> for reading). Each phase lasts a little, so
/// that phases of unlocked tests in two processes would interleave.
/// </summary>
public abstract class JournaledTest
{
    private static int s_instances;

    protected JournaledTest(string locks)
        : this(locks, journalConstructor: true)
    {
    }

    /// <param name="locks">The locks the class's attributes declare, as journaled.</param>
    /// <param name="journalConstructor">False for a framework that builds the test class before any per-test hook (TUnit).</param>
    protected JournaledTest(string locks, bool journalConstructor)
    {
        Id = $"{GetType().Name}#{Interlocked.Increment(ref s_instances)}";
        Locks = locks;
        if (journalConstructor) Log("ctor");
    }

    public string Id { get; }

    public string Locks { get; }

    protected void Log(string phase)
    {
        if (Environment.GetEnvironmentVariable(Journal.Variable) is { Length: > 0 } path) Journal.Append(path, Id, phase, Locks);
        Thread.Sleep(15); // widens the window in which unlocked phases of two processes would interleave
    }

    /// <summary>The factory of this assembly's locks (<see cref="JournaledLocksAttribute"/>): it journals "acquiring NAME"
    /// whenever TestLocks starts to take a lock, so the harness knows a test is waiting, and "still waiting NAME held by
    /// HOLDER" every warn_after of a wait.</summary>
    public static LockFactory Factory { get; } = Environment.GetEnvironmentVariable(Journal.Variable) is { Length: > 0 } path
        ? new LockFactory(TestLocksSettings.Load(), new AcquireJournal(path))
        : LockFactory.Default;

    /// <summary>A witness of what the test holds: journals "enter HELD", lasts a little, then journals "exit HELD", both
    /// inside the test's locks, so the harness can count from the journal's order how many tests held
    /// <paramref name="held"/> (a counted lock's name, or "pool=member") at once.</summary>
    protected void Witness(string held)
    {
        var path = Environment.GetEnvironmentVariable(Journal.Variable);
        if (path is { Length: > 0 }) Journal.Append(path, Id, "enter", held);
        Thread.Sleep(30); // the hold the other processes' tests would overlap if the lock let them in
        if (path is { Length: > 0 }) Journal.Append(path, Id, "exit", held);
    }

    [ModuleInitializer]
#pragma warning disable CA2255 // the fixture process journals TestLocks' waits before any test runs
    internal static void JournalWaits()
#pragma warning restore CA2255
    {
        if (Environment.GetEnvironmentVariable(Journal.Variable) is { Length: > 0 } path) ActivitySource.AddActivityListener(WaitJournal(path));
    }

    /// <summary>Journals "waiting NAME" when an acquire has found the lock held and starts to wait (TestLocks' wait span
    /// starts), so that the harness knows a test really waits, not only that it started to take a lock.</summary>
    private static ActivityListener WaitJournal(string path) => new()
    {
        ShouldListenTo = source => source.Name == "TestLocks",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        ActivityStarted = activity =>
        {
            if (activity.OperationName != "testlocks.wait") return;
            Journal.Append(path, $"{activity.GetTagItem("testlocks.test")}", "waiting", $"{activity.GetTagItem("testlocks.lock")}");
        },
    };

    private sealed class AcquireJournal(string path) : ILoggerFactory, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider) { }

        public void Dispose() { }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return;
            var name = values.FirstOrDefault(v => v.Key == "Name").Value;
            if (eventId.Id == 1) // "Acquiring lock"
            {
                Journal.Append(path, $"{values.FirstOrDefault(v => v.Key == "Owner").Value}", "acquiring", $"{name}");
            }
            else if (eventId.Id == 4) // "Still waiting for lock" every warn_after: the waiter has read (and told) its holder
            {
                Journal.Append(path, "testlocks", "still waiting", $"{name} held by {values.FirstOrDefault(v => v.Key == "Holder").Value}");
            }
        }
    }
}
