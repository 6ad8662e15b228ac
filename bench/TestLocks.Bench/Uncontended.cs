using System.Diagnostics;

namespace TestLocks.Bench;

/// <summary>A plain timed loop of external acquire+release, the same shape as limit.c's "uncontended" mode.</summary>
internal static class Uncontended
{
    public static int Run(string dir, int n)
    {
        var @lock = new LockFactory(new TestLocksSettings { LockPath = dir }).CreateLock("bench-quick");
        for (var i = 0; i < Math.Min(n, 20_000); i++) { using (@lock.Acquire()) { } } // warm-up: JIT tiers
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++) { using (@lock.Acquire()) { } }
        var ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / n;
        Console.WriteLine($"testlocks uncontended external Acquire+Dispose: {ns:0} ns/op (n={n})");
        var inProcess = new LockFactory(new TestLocksSettings { LockPath = dir }).CreateLock("bench-quick-internal", new LockOptions { External = false });
        for (var i = 0; i < Math.Min(n, 20_000); i++) { using (inProcess.Acquire()) { } }
        start = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++) { using (inProcess.Acquire()) { } }
        Console.WriteLine($"testlocks uncontended in-process Acquire+Dispose: {Stopwatch.GetElapsedTime(start).TotalNanoseconds / n:0} ns/op (n={n})");
        return 0;
    }
}
