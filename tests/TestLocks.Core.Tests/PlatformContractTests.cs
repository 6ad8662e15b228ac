using System.Diagnostics;
using TestLocks.Core.Tests.Infrastructure;
using TestLocks.Platform.Windows;

namespace TestLocks.Core.Tests;

/// <summary>
/// The lock file contract every platform keeps (Linux OFD locks, the flock strategy of macOS, Windows LockFileEx under
/// wine), written so that it runs on each: waiters are known to be waiting from their own report (the OnWaiting
/// notice, which comes after the waiter has opened and tried the lock file), not from Linux's /proc/locks.
/// </summary>
public sealed class PlatformContractTests
{
    [Fact]
    public async Task A_lock_file_deleted_while_another_process_waits_never_gives_two_holders()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("deleted");
        await using var first = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await first.WaitForLineAsync("HELD");
        await using var waiter = HelperProcess.StartHelper(dir.Environment(), "wait", name);
        await waiter.WaitForLineAsync("BLOCKED"); // it has the old file open and waits on it

        File.Delete(dir.File(name));
        await using var newcomer = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        if ((await newcomer.WaitForLineAsync("")).StartsWith("BLOCKED", StringComparison.Ordinal))
        {
            // Windows without POSIX delete semantics (and wine) keeps the name until the last handle closes, and the
            // newcomer queues on that same file: one file, one holder at a time, in either order.
            await first.SendAsync("release");
            var held = newcomer.WaitForLineAsync("HELD");
            var acquired = waiter.WaitForLineAsync("ACQUIRED");
            if (await Task.WhenAny(held, acquired) == held) await newcomer.SendAsync("release");
            await acquired;
            await held;
            return;
        }
        // Linux, macOS, Windows with POSIX delete semantics: the name is gone at once and the newcomer holds a new file.
        await first.SendAsync("release");
        await first.WaitForLineAsync("RELEASED");

        // The waiter woke on a file nobody uses any more: it must go and wait on the new one, held by the newcomer.
        await using (var probe = HelperProcess.StartHelper(dir.Environment(), "wait", name))
        {
            await probe.WaitForLineAsync("BLOCKED"); // the newcomer still holds the new file...
            Assert.False(waiter.HasPrinted("ACQUIRED"), "the waiter acquired a deleted lock file while another process held the new one");
            await newcomer.SendAsync("release");
            await probe.WaitForLineAsync("ACQUIRED");
        }
        await waiter.WaitForLineAsync("ACQUIRED");
    }

    [Fact]
    public async Task A_lock_file_replaced_while_this_process_waits_never_gives_two_holders()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("replaced");
        await using var first = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await first.WaitForLineAsync("HELD");
        var blocked = new TaskCompletionSource();
        var waiting = dir.Factory.CreateLock(name, new LockOptions { OnWaiting = _ => blocked.TrySetResult() })
            .AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();
        await blocked.Task.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);

        var replacement = dir.File("replacement");
        await File.WriteAllTextAsync(replacement, "", TestContext.Current.CancellationToken);
        try
        {
            File.Move(replacement, dir.File(name), overwrite: true);
        }
        catch (UnauthorizedAccessException) when (OperatingSystem.IsWindows())
        {
            // Windows refuses to replace a file others have open (without POSIX rename semantics): nothing to race.
            await first.SendAsync("release");
            await (await waiting.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken)).DisposeAsync();
            return;
        }
        await using var newcomer = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await newcomer.WaitForLineAsync("HELD");
        await first.SendAsync("release");
        await first.WaitForLineAsync("RELEASED");

        await using (var probe = HelperProcess.StartHelper(dir.Environment(), "wait", name))
        {
            await probe.WaitForLineAsync("BLOCKED");
            Assert.False(waiting.IsCompleted, "acquired the replaced file while another process held its replacement");
            await newcomer.SendAsync("release");
            var handle = await waiting.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);
            await handle.DisposeAsync();
            await probe.WaitForLineAsync("ACQUIRED");
        }
    }

    [Fact]
    public async Task Readers_in_two_processes_share_a_lock_and_a_writer_waits_until_both_are_gone()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("rw");
        await using var reader1 = HelperProcess.StartHelper(dir.Environment(), "hold", name, "read");
        await reader1.WaitForLineAsync("HELD");
        await using var reader2 = HelperProcess.StartHelper(dir.Environment(), "hold", name, "read");
        await reader2.WaitForLineAsync("HELD"); // a second reader gets in while the first holds
        var rw = dir.Factory.CreateReaderWriterLock(name);
        Assert.Null(await rw.WriteLock.TryAcquireAsync(cancellationToken: TestContext.Current.CancellationToken));
        await using (var reader3 = await rw.ReadLock.AcquireAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken)) { }

        await using var writer = HelperProcess.StartHelper(dir.Environment(), "wait", name, "write");
        await writer.WaitForLineAsync("BLOCKED");
        await reader1.SendAsync("release");
        await reader1.WaitForLineAsync("RELEASED");
        Assert.Null(await rw.WriteLock.TryAcquireAsync(cancellationToken: TestContext.Current.CancellationToken)); // reader2 still holds
        Assert.False(writer.HasPrinted("ACQUIRED"), "a writer got the lock while a reader held it");
        await reader2.SendAsync("release");
        await writer.WaitForLineAsync("ACQUIRED");
    }

    [Fact]
    public async Task A_cancelled_wait_on_another_process_returns_on_the_cancellation_and_the_lock_stays_usable()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("cancel");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name, "write", "Holder.test");
        var held = await holder.WaitForLineAsync("HELD");
        using var cts = new CancellationTokenSource();
        var blocked = new TaskCompletionSource<LockWaitNotice>();
        var waiting = dir.Factory.CreateLock(name, new LockOptions { OnWaiting = n => blocked.TrySetResult(n) })
            .AcquireAsync(cancellationToken: cts.Token).AsTask();
        var notice = await blocked.Task.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);
        Assert.Equal(int.Parse(held.Split(' ')[1]), notice.Holder?.ProcessId);
        Assert.Equal("Holder.test", notice.Holder?.Owner);

        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken));
        // On the cancellation itself, not on some timeout: nothing in a wait polls, and the only timeouts it could fall
        // back to are 30 s (an idle wait thread's lifetime) and the holder's release (never, here). It takes well under
        // 100 ms on an idle machine; 5 s leaves load (a shared 2-core machine, wine) a 50x margin and still tells
        // "at once" from any timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the cancelled wait took {clock.ElapsedMilliseconds} ms to return");
        Assert.False(holder.HasPrinted("RELEASED"), "the wait returned only once the holder let go");

        await holder.SendAsync("release");
        await holder.WaitForLineAsync("RELEASED");
        await using (await dir.Factory.CreateLock(name).AcquireAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken))
        {
            await using var other = HelperProcess.StartHelper(dir.Environment(), "wait", name);
            await other.WaitForLineAsync("BLOCKED"); // the abandoned wait did not keep the lock, and we hold it now
        }
    }

    [Fact]
    public async Task On_Windows_a_fasteners_style_lock_on_the_byte_at_the_end_of_the_file_and_TestLocks_exclude_each_other_whatever_the_record()
    {
        // fasteners' InterProcessLock on Windows opens the lock file in append mode (CPython seeks to its end) and locks
        // one byte there: msvcrt.locking(fd, LK_NBLCK, 1), which is LockFileEx on [size, size + 1), as FileStream.Lock.
        // (On Linux fasteners locks the whole file with lockf; the Python interop tests run the real thing there.)
        if (!OperatingSystem.IsWindows()) return;
        using var dir = new LockDir();
        var name = LockDir.UniqueName("fasteners");
        var @lock = dir.Factory.CreateLock(name);
        var ct = TestContext.Current.CancellationToken;

        using (var fasteners = FastenersStyleHold(dir.File(name))) // an empty file: byte 0
        {
            Assert.Null(await @lock.TryAcquireAsync(cancellationToken: ct));
            Assert.Null(await dir.Factory.CreateReaderWriterLock(name).ReadLock.TryAcquireAsync(cancellationToken: ct));
        }
        await using (await @lock.AcquireAsync(HelperProcess.LineLimit, ct))
        {
            Assert.Throws<IOException>(() => FastenersStyleHold(dir.File(name)).Dispose()); // past our record
        }
        Assert.True(new FileInfo(dir.File(name)).Length > 0, "TestLocks wrote no holder record");
        using (var fasteners = FastenersStyleHold(dir.File(name))) // the byte just past the record TestLocks left
        {
            Assert.Null(await @lock.TryAcquireAsync(cancellationToken: ct));
        }
        await using (await dir.Factory.CreateReaderWriterLock(name).ReadLock.AcquireAsync(HelperProcess.LineLimit, ct))
        {
            Assert.Throws<IOException>(() => FastenersStyleHold(dir.File(name)).Dispose());
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static FileStream FastenersStyleHold(string path)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            stream.Lock(stream.Position, 1);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    [Theory]
    [InlineData("CON", "reserved device name CON")]
    [InlineData("nul.txt", "reserved device name NUL")]
    [InlineData("com1", "reserved device name COM1")]
    [InlineData("LPT9.lock", "reserved device name LPT9")]
    [InlineData("a<b", "'<'")]
    [InlineData("a:b", "':'")]
    [InlineData("why?", "'?'")]
    [InlineData("star*", "'*'")]
    [InlineData("pipe|", "'|'")]
    [InlineData("quote\"", "'\"'")]
    [InlineData("trailing.", "ends with a dot or a space")]
    [InlineData("trailing ", "ends with a dot or a space")]
    public void Names_Windows_cannot_use_are_refused_there_with_the_reason(string name, string reason)
    {
        Assert.Contains(reason, WindowsFileNames.Problem(name), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows()) return; // elsewhere these are ordinary file names
        using var dir = new LockDir();
        var e = Assert.Throws<ArgumentException>(() => dir.Factory.CreateLock(name, new LockOptions { Prefix = "" }));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("Choose another lock name", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("availability_zone")]
    [InlineData("CONSOLE")]
    [InlineData("com10")]
    [InlineData("a.b-c_d")]
    public void Ordinary_names_are_fine_on_Windows(string name) => Assert.Null(WindowsFileNames.Problem(name));
}
