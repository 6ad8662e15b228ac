using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>Who a wait notice names as the holder when the holder is in this process (issue 20, item 9): only a hold
/// granted here, with the holder's own mode, and, while that holder itself still waits beyond this process, whom it waits for.</summary>
public sealed class HolderNamingTests
{
    [Fact]
    public async Task A_reader_that_let_go_is_never_named_and_the_holders_mode_is_its_own()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("naming");
        var first = await HelperProcess.RunInAnotherFlow(() => dir.Factory.CreateReaderWriterLock(name, new LockOptions { Owner = "Reader.First" }).ReadLock.Acquire());
        var second = await HelperProcess.RunInAnotherFlow(() => dir.Factory.CreateReaderWriterLock(name, new LockOptions { Owner = "Reader.Second" }).ReadLock.Acquire());
        second.Dispose(); // the reader granted last lets go first: the one that still holds is the first

        var notices = new Notices();
        var writing = dir.Factory.CreateReaderWriterLock(name, new LockOptions { Owner = "Serial.Writer", OnWaiting = notices.Add })
            .WriteLock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();
        var notice = await notices.First;
        Assert.Equal("Reader.First", notice.Holder!.Owner);
        Assert.Equal(LockMode.Read, notice.Holder.Mode);

        // A reader queued behind the waiting writer is told of the reader that holds the lock, never of the writer in line.
        var readerNotices = new Notices();
        var reading = HelperProcess.RunInAnotherFlow(() => dir.Factory.CreateReaderWriterLock(name, new LockOptions { Owner = "Reader.Third", OnWaiting = readerNotices.Add })
            .ReadLock.Acquire());
        notice = await readerNotices.First;
        Assert.Equal("Reader.First", notice.Holder!.Owner);
        Assert.DoesNotContain("Serial.Writer", notice.ToString(), StringComparison.Ordinal);

        first.Dispose();
        await using (await writing) { }
        (await reading).Dispose();
    }

    [Fact]
    public async Task A_writer_granted_here_but_still_waiting_for_another_process_is_named_as_a_writer_with_whom_it_waits_for()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("chain");
        await using var other = HelperProcess.StartHelper(dir.Environment(), "hold", name, "read", "Other.Reader");
        var held = await other.WaitForLineAsync("HELD");
        var otherPid = held.Split(' ')[1];

        // The [Serial] test's write request is first in this process, and waits for the other process's reader.
        var writerNotices = new Notices();
        var writing = dir.Factory.CreateReaderWriterLock(name, new LockOptions { Owner = "Serial.Writer", OnWaiting = writerNotices.Add })
            .WriteLock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();
        await writerNotices.First;

        var notices = new Notices();
        var reading = HelperProcess.RunInAnotherFlow(() => dir.Factory.CreateReaderWriterLock(name, new LockOptions { Owner = "Reader.Here", OnWaiting = notices.Add })
            .ReadLock.Acquire());
        var notice = await notices.First;
        var text = notice.ToString();

        Assert.Equal("Serial.Writer", notice.Holder!.Owner);
        Assert.Equal(LockMode.Write, notice.Holder.Mode); // not "as a reader": the writer's own mode
        Assert.Contains($"[in this process; Serial.Writer itself still waits for it, held by pid {otherPid} ", text, StringComparison.Ordinal);
        Assert.Contains("(Other.Reader) as a reader", text, StringComparison.Ordinal);

        await other.SendAsync("release");
        await using (await writing.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken)) { }
        (await reading.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken)).Dispose();
    }

    /// <summary>The notices one waiter is given; the first comes when its wait starts, on the waiting flow's thread.</summary>
    private sealed class Notices
    {
        private readonly TaskCompletionSource<LockWaitNotice> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<LockWaitNotice> First => _first.Task.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);

        public void Add(LockWaitNotice notice) => _first.TrySetResult(notice);
    }
}
