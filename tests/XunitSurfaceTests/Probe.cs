using System.Runtime.CompilerServices;

namespace TestLocks.Xunit.Tests;

/// <summary>Asks, from a flow that shares nothing with the running test, whether a lock could be taken right now.</summary>
internal static class Probe
{
    /// <summary>Gives this test process a lock_path of its own, so its [Serial] test waits for nothing outside it.</summary>
    [ModuleInitializer]
#pragma warning disable CA2255 // a test assembly setting its own lock_path before any test runs
    internal static void UseOwnLockPath() =>
#pragma warning restore CA2255
        LockFactory.Default = new LockFactory(TestLocksSettings.Load() with { LockPath = Directory.CreateTempSubdirectory("testlocks-xunit-tests-").FullName });

    public static bool IsFree(string name, LockMode mode = LockMode.Write, string? prefix = null)
    {
        var free = false;
        var thread = new Thread(() =>
        {
            var rw = LockFactory.Default.CreateReaderWriterLock(name, new LockOptions { Prefix = prefix });
            using var handle = (mode == LockMode.Write ? rw.WriteLock : rw.ReadLock).TryAcquire();
            free = handle is not null;
        });
        using (ExecutionContext.SuppressFlow()) thread.Start(); // a thread that inherits nothing of the test's flow
        thread.Join();
        return free;
    }

    public static bool IsHeld(string name, LockMode mode = LockMode.Write, string? prefix = null) => !IsFree(name, mode, prefix);
}
