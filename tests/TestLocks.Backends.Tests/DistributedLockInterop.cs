using Medallion.Threading;

namespace TestLocks.Backends.Tests;

/// <summary>What a program that uses DistributedLock directly on a TestLocks lock's key must see, whatever the server:
/// each side's writer excludes the other side, and readers share.</summary>
internal static class DistributedLockInterop
{
    public static async Task AssertSharedAsync(TestReaderWriterLock @lock, IDistributedReaderWriterLock direct, CancellationToken token)
    {
        await using (await @lock.WriteLock.AcquireAsync(HelperProcess.LineLimit, token))
        {
            Assert.Null(await direct.TryAcquireReadLockAsync(cancellationToken: token));
            Assert.Null(await direct.TryAcquireWriteLockAsync(cancellationToken: token));
        }
        await using (await @lock.ReadLock.AcquireAsync(HelperProcess.LineLimit, token))
        {
            await using var read = await direct.TryAcquireReadLockAsync(cancellationToken: token);
            Assert.NotNull(read);
            Assert.Null(await direct.TryAcquireWriteLockAsync(cancellationToken: token));
        }
        await using (await direct.AcquireWriteLockAsync(cancellationToken: token))
        {
            Assert.Null(await @lock.ReadLock.TryAcquireAsync(TimeSpan.Zero, token));
        }
        await using var again = await @lock.WriteLock.AcquireAsync(HelperProcess.LineLimit, token);
    }
}
