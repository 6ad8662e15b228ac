using System.Diagnostics;
using TestLocks.Adapters;
using TestLocks.Testing;

namespace TestLocks.Bench;

/// <summary>
/// What the framework packages add to each test, with nobody contending: an unmarked test takes the read side of the
/// serial lock; a marked test takes it plus its own names. Measured through LockSet, the call every surface makes.
/// </summary>
internal static class PerTest
{
    public static void Run(string dir, int n)
    {
        var factory = new LockFactory(new TestLocksSettings { LockPath = dir });
        LockRequest[] unmarked = [LockRequest.NotSerial()];
        LockRequest[] marked = [LockRequest.NotSerial(), new LockRequest("availability_zone", "tempest-")];
        foreach (var (what, requests) in new[] { ("unmarked test (serial read lock)", unmarked), ("marked test (serial read + 1 name)", marked) })
        {
            for (var i = 0; i < Math.Min(n, 5_000); i++) Once(requests, factory);
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++) Once(requests, factory);
            Console.WriteLine($"testlocks per-test overhead, {what}: {Stopwatch.GetElapsedTime(start).TotalMicroseconds / n:0.0} us/test (n={n})");
        }
    }

    private static void Once(LockRequest[] requests, LockFactory factory)
    {
        var handle = LockSet.AcquireAsync(requests, factory).AsTask().GetAwaiter().GetResult();
        handle.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
