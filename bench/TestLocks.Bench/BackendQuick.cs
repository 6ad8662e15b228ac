using System.Diagnostics;

namespace TestLocks.Bench;

/// <summary>
/// Acquire+release on a server backend, TestLocks and DistributedLock used directly measured in alternating rounds
/// of N operations each, so that the noise of a small machine running its own server falls on both alike. Prints the
/// median and the mean of the last round's operations.
/// </summary>
internal static class BackendQuick
{
    public static int Run(string backendUrl, int n)
    {
        var testLock = new LockFactory(new TestLocksSettings { BackendUrl = backendUrl }).CreateLock("bench-quick-testlocks");
        var direct = DirectLocks.ForUrl(backendUrl).CreateLock("bench-quick-direct");
        var candidates = new (string Name, Action Op)[]
        {
            ("distributedlock", () => { using (direct.Acquire()) { } }),
            ("testlocks", () => { using (testLock.Acquire()) { } }),
        };
        var results = new Dictionary<string, List<double>>();
        for (var round = 0; round < 5; round++)
        {
            foreach (var (name, op) in candidates)
            {
                if (round == 0) { for (var i = 0; i < 200; i++) op(); }
                var times = results.TryGetValue(name, out var list) ? list : results[name] = [];
                for (var i = 0; i < n; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    op();
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
            }
        }
        var scheme = new Uri(backendUrl).Scheme;
        var baseline = Median(results["distributedlock"]);
        foreach (var (name, times) in results)
        {
            Console.WriteLine($"{name} {scheme} Acquire+Dispose: median {Median(times):0} us, mean {times.Average():0} us, ratio to DistributedLock {Median(times) / baseline:0.00} (n={times.Count})");
        }
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
