using TestLocks.Backends;

namespace TestLocks.Core.Tests;

/// <summary>A try that does not wait and finds the lock busy returns at once: it reads no holder record, since nobody
/// will see it. A counted lock tries every slot this way on each acquire; reading the holders there (on lock files: each
/// holder's /proc) made a pool of 4 shared by 8 processes sit idle half the time (bench/counted.sh).</summary>
public sealed class FailedTryTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_try_without_waiting_that_finds_the_lock_held_elsewhere_reads_no_holder()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("failed-try");
        var files = BackendResolver.ForLockPath(dir.Path, "test", isDefault: false);
        var counting = new HolderReadCountingBackend(files);
        // Held through another open file: another process as far as the kernel and this process's queue can tell.
        await using var elsewhere = (await files.TryAcquireAsync(name, LockMode.Write, TimeSpan.Zero, new LockHolder(1, "h", "other", null, LockMode.Write), Token))!;
        var testLock = new TestLock(dir.Factory, name, LockMode.Write, counting, new LockOptions());

        Assert.Null(testLock.TryAcquire(TimeSpan.Zero, Token));
        Assert.Null(await testLock.TryAcquireAsync(TimeSpan.Zero, Token));

        Assert.Equal(0, counting.HolderReads);
        // A timeout still names the holder: there it is read.
        Assert.Throws<LockTimeoutException>(() => testLock.Acquire(TimeSpan.FromMilliseconds(1), Token));
        Assert.True(counting.HolderReads > 0);
    }
}
