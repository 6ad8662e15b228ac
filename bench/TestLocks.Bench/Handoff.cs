using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace TestLocks.Bench;

/// <summary>
/// Cross-process handoff latency, the same protocol as bench/anchors/limit.c: two processes alternate holding one
/// external lock. In each round the holder takes the lock, waits until the other side announces it is about to
/// wait, holds 2 ms more so the waiter really blocks, stamps the time and releases; the waiter records the time its
/// acquire returned. Stopwatch is CLOCK_MONOTONIC on Linux, so stamps compare across processes. Coordination goes
/// through a shared memory-mapped file, never on the measured path. Rounds alternate sync and async waiters.
/// With TESTLOCKS_BACKEND_URL set, the lock lives in that server backend; HANDOFF_DIRECT=1 then takes the same lock
/// through DistributedLock directly, the baseline.
/// </summary>
internal static class Handoff
{
    private const int Header = 16;
    private static readonly int HoldMs = int.TryParse(Environment.GetEnvironmentVariable("HANDOFF_HOLD_MS"), out var ms) ? ms : 2;

    public static int Run(string dir, int n, bool child)
    {
        var shm = Path.Combine(dir, "handoff.shm");
        var raw = Environment.GetEnvironmentVariable("HANDOFF_RAW") == "1";
        var poll = Environment.GetEnvironmentVariable("HANDOFF_POLL") == "1";
        var pollPath = Path.Combine(dir, "poll-handoff");
        var backendUrl = Environment.GetEnvironmentVariable("TESTLOCKS_BACKEND_URL");
        var direct = backendUrl is not null && Environment.GetEnvironmentVariable("HANDOFF_DIRECT") == "1" ? DirectLocks.ForUrl(backendUrl).CreateLock("handoff") : null;
        var factory = new LockFactory(new TestLocksSettings { LockPath = dir, BackendUrl = backendUrl });
        // HANDOFF_SLOTS=N: a counted lock of N slots, N-1 of them held by the parent throughout, so the waiter waits on all
        // N slots at once and one slot goes back and forth.
        var slots = int.TryParse(Environment.GetEnvironmentVariable("HANDOFF_SLOTS"), out var n0) ? n0 : 0;
        var counted = slots > 0 ? factory.CreateSemaphore("handoff-counted", slots) : null;
        var @lock = new Lock(factory.CreateLock("handoff"), counted);
        var parked = new List<IDisposable>();
        if (counted is not null && !child)
        {
            for (var s = 1; s < slots; s++) parked.Add(Task.Run(() => (IDisposable)counted.Acquire()).GetAwaiter().GetResult()); // other flows
        }
        var rawFd = raw ? RawOfd.Open(Path.Combine(dir, "raw-handoff")) : -1;
        Process? peer = null;
        if (!child)
        {
            for (var i = 0; i < (backendUrl is null ? 1000 : 200); i++) { using ((IDisposable)(direct is not null ? direct.Acquire() : @lock.Acquire())) { } } // warm-up, before the peer exists
            File.Delete(shm);
            using (var f = File.Create(shm)) f.SetLength(Header + 8L * n);
            peer = OperatingSystem.IsWindows() // published self-contained (run under wine): the program is an .exe
                ? Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["handoff-child", dir, n.ToString()]))!
                : Process.Start(new ProcessStartInfo("dotnet", [typeof(Handoff).Assembly.Location, "handoff-child", dir, n.ToString()]))!;
        }
        // Both processes map the file; Windows needs every opener to share it.
        using var shared = new FileStream(shm, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        using var map = MemoryMappedFile.CreateFromFile(shared, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        using var view = map.CreateViewAccessor();
        var me = child ? 1 : 0;
        for (var i = 0; i < n; i++)
        {
            if (i % 2 == me)
            {
                IDisposable handle = poll ? PollingFileLock.Acquire(pollPath) : raw ? RawOfd.Lock(rawFd) : direct is not null ? direct.Acquire() : @lock.Acquire();
                view.Write(0, (long)(i + 1));                                  // "I hold it: go wait"
                WaitFor(view, 8, i + 1);                                        // the waiter is about to block
                Thread.Sleep(HoldMs);                                           // let it really block in the kernel
                view.Write(Header + 8L * i, -Stopwatch.GetTimestamp());         // release stamp
                handle.Dispose();
            }
            else
            {
                WaitFor(view, 0, i + 1);
                long acquired;
                IDisposable handle;
                if (raw || poll || (i / 2) % 2 == 0)
                {
                    view.Write(8, (long)(i + 1)); // about to wait
                    handle = poll ? PollingFileLock.Acquire(pollPath) : raw ? RawOfd.Lock(rawFd) : direct is not null ? direct.Acquire() : @lock.Acquire();
                    acquired = Stopwatch.GetTimestamp();
                }
                else
                {
                    // An async waiter, stamped in its own continuation (as a test's code after `await` would run).
                    // It announces itself from the thread that waits, so thread-pool start-up is not counted as latency.
                    var round = i;
                    (handle, acquired) = Task.Run(async () =>
                    {
                        view.Write(8, (long)(round + 1)); // about to wait
                        IDisposable h = direct is not null ? await direct.AcquireAsync() : await @lock.AcquireAsync();
                        return (h, Stopwatch.GetTimestamp());
                    }).GetAwaiter().GetResult();
                }
                view.Write(Header + 8L * i, view.ReadInt64(Header + 8L * i) + acquired);
                handle.Dispose();
            }
        }
        if (child) return 0;
        peer!.WaitForExit();
        parked.ForEach(p => p.Dispose());
        var all = Enumerable.Range(0, n).Select(i => Stopwatch.GetElapsedTime(0, view.ReadInt64(Header + 8L * i)).TotalMicroseconds).ToArray();
        Report("sync+async", all);
        Report("sync Acquire", all.Where((_, i) => (i / 2) % 2 == 0).ToArray());
        Report("AcquireAsync", all.Where((_, i) => (i / 2) % 2 == 1).ToArray());
        return 0;
    }

    private static void Report(string what, double[] latencies)
    {
        latencies = [.. latencies.Order()];
        double P(double p) => latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * p))];
        var who = Environment.GetEnvironmentVariable("HANDOFF_POLL") == "1" ? "fileshare-none-polling"
            : Environment.GetEnvironmentVariable("HANDOFF_DIRECT") == "1" ? "distributedlock" : "testlocks";
        var where = Environment.GetEnvironmentVariable("TESTLOCKS_BACKEND_URL") is { } url ? new Uri(url).Scheme : "file";
        var slots = Environment.GetEnvironmentVariable("HANDOFF_SLOTS") is { Length: > 0 } n ? $" counted({n} slots)" : "";
        Console.WriteLine($"{who} {where}{slots} handoff ({what}): p50 {P(0.5):0.0} us, p90 {P(0.9):0.0} us, p99 {P(0.99):0.0} us, max {latencies[^1]:0.0} us (n={latencies.Length})");
    }

    /// <summary>The plain lock, or the counted lock when HANDOFF_SLOTS is set.</summary>
    private sealed class Lock(TestLock plain, CountedLock? counted)
    {
        public IDisposable Acquire() => counted is not null ? counted.Acquire() : plain.Acquire();

        public async Task<IDisposable> AcquireAsync() => counted is not null ? await counted.AcquireAsync() : await plain.AcquireAsync();
    }

    private static void WaitFor(MemoryMappedViewAccessor view, long offset, long value)
    {
        var spin = new SpinWait();
        while (view.ReadInt64(offset) != value) spin.SpinOnce();
    }
}
