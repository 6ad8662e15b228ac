using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TestLocks.Chaos;

/// <summary>
/// Records, independently of TestLocks, what each test held and when: one line per event in
/// <c>$CHAOS_DIR/w-NAME-PID.log</c> (NAME: <c>$CHAOS_NAME</c>, the process as build/chaos.sh started it), stamped with the machine's monotonic clock (<see cref="Stopwatch.GetTimestamp"/>,
/// CLOCK_MONOTONIC on Linux, one clock for every process). A hold is recorded after the lock was taken and ended
/// before it is released, so two recorded holds of one lock that overlap prove two real holders (never a false alarm).
/// build/chaos.sh merges the files. Without CHAOS_DIR nothing is written.
/// </summary>
public static class Witness
{
    private static readonly string? s_dir = Environment.GetEnvironmentVariable("CHAOS_DIR");
    private static readonly Lazy<StreamWriter?> s_file = new(Open);
    private static int s_sequence;

    /// <summary>Marks the holding of <paramref name="lockName"/> by <paramref name="test"/> until disposed.
    /// <paramref name="kind"/>: "a" for locks a test's attributes take (a [Serial] test excludes those), "f" for a
    /// fixture or body lock, "s" for a [Serial] test.</summary>
    public static IDisposable Hold(string lockName, string test, string kind = "a")
    {
        var id = $"{Environment.ProcessId}:{Interlocked.Increment(ref s_sequence)}:{Clean(test)}";
        Write($"+L {lockName} {kind} {id}");
        return new Ending($"-L {lockName} {kind} {id}");
    }

    /// <summary>Marks a test body running until disposed (for the per-process concurrency count).</summary>
    public static IDisposable Body(string test)
    {
        var id = $"{Environment.ProcessId}:{Interlocked.Increment(ref s_sequence)}:{Clean(test)}";
        Write($"+B - - {id}");
        return new Ending($"-B - - {id}");
    }

    /// <summary>Works as a test body would: holds its thread for <paramref name="milliseconds"/>.</summary>
    public static void Work(int milliseconds) => Thread.Sleep(milliseconds);

    private static string Clean(string test) => test.Replace(' ', '_').Replace('\n', '_');

    private static void Write(string line)
    {
        if (s_file.Value is not { } file) return;
        var stamped = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture) + " " + line;
        lock (file)
        {
            file.WriteLine(stamped);
            file.Flush();
        }
    }

    private static StreamWriter? Open()
    {
        if (string.IsNullOrEmpty(s_dir)) return null;
        if (Stopwatch.Frequency != 1_000_000_000) throw new InvalidOperationException("The witness needs a nanosecond monotonic clock.");
        var name = Environment.GetEnvironmentVariable("CHAOS_NAME") is { Length: > 0 } n ? n : "test";
        var path = Path.Combine(s_dir, $"w-{name}-{Environment.ProcessId}.log");
        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false));
    }

    private sealed class Ending(string line) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Write(line);
        }
    }
}
