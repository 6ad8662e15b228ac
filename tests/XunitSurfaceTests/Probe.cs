[assembly: TestLocks.Xunit.Tests.OwnLockPath]

namespace TestLocks.Xunit.Tests;

/// <summary>The surface takes this assembly's test locks from <see cref="Probe.Factory"/>.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
internal sealed class OwnLockPathAttribute : TestLocks.Testing.LockFactoryAttribute
{
    public override LockFactory Create() => Probe.Factory;
}

/// <summary>Asks, from a flow that shares nothing with the running test, whether a lock could be taken right now.</summary>
internal static class Probe
{
    /// <summary>This test process's lock_path of its own, so its [Serial] test waits for nothing outside it
    /// (<see cref="OwnLockPathAttribute"/> gives it to the surface).</summary>
    public static LockFactory Factory { get; } =
        new(TestLocksSettings.Load() with { LockPath = Directory.CreateTempSubdirectory("testlocks-xunit-tests-").FullName });

    public static bool IsFree(string name, LockMode mode = LockMode.Write, string? prefix = null)
    {
        var free = false;
        var thread = new Thread(() =>
        {
            var rw = Factory.CreateReaderWriterLock(name, new LockOptions { Prefix = prefix });
            using var handle = (mode == LockMode.Write ? rw.WriteLock : rw.ReadLock).TryAcquire();
            free = handle is not null;
        });
        using (ExecutionContext.SuppressFlow()) thread.Start(); // a thread that inherits nothing of the test's flow
        thread.Join();
        return free;
    }

    public static bool IsHeld(string name, LockMode mode = LockMode.Write, string? prefix = null) => !IsFree(name, mode, prefix);
}
