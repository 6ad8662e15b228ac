using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>Reader/writer locks: shared reads, exclusive writes, across processes and with Python fasteners.</summary>
public sealed class ReaderWriterTests
{
    [Trait("Needs", "Linux")] // /proc/locks, Unix modes or setpriv: the platform contract covers the rest elsewhere
    [Fact]
    public async Task Readers_in_several_processes_share_the_lock_and_a_writer_waits_for_all_of_them()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("rw");
        await using var reader1 = HelperProcess.StartHelper(dir.Environment(), "hold", name, "read");
        await using var reader2 = HelperProcess.StartHelper(dir.Environment(), "hold", name, "read");
        await reader1.WaitForLineAsync("HELD");
        await reader2.WaitForLineAsync("HELD");
        var rw = dir.Factory.CreateReaderWriterLock(name);
        using (var shared = rw.ReadLock.TryAcquire()) Assert.NotNull(shared);
        Assert.Null(rw.WriteLock.TryAcquire());

        var writing = rw.WriteLock.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask();
        await reader1.SendAsync("release");
        await reader1.WaitForLineAsync("RELEASED");
        await ProcLocks.WaitForBlockedAsync(dir.File(name), 1);
        Assert.False(writing.IsCompleted, "a writer got in while a reader still held the lock");
        await reader2.SendAsync("release");
        await using var handle = await writing.WaitAsync(HelperProcess.LineLimit, TestContext.Current.CancellationToken);
        Assert.Equal(LockMode.Write, handle.Mode);
    }

    [Trait("Needs", "Python")]
    [Theory]
    [InlineData("fasteners-read", LockMode.Read, true)]
    [InlineData("fasteners-read", LockMode.Write, false)]
    [InlineData("fasteners-write", LockMode.Read, false)]
    [InlineData("fasteners-write", LockMode.Write, false)]
    public async Task The_reader_writer_lock_interoperates_with_fasteners_InterProcessReaderWriterLock(string pythonSide, LockMode ours, bool compatible)
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("fasteners");
        await using var python = HelperProcess.StartPython("python_hold.py", dir.Environment(), pythonSide, name, dir.Path);
        await python.WaitForLineAsync("HELD");
        var rw = dir.Factory.CreateReaderWriterLock(name);
        var side = ours == LockMode.Read ? rw.ReadLock : rw.WriteLock;
        using (var handle = side.TryAcquire())
        {
            Assert.Equal(compatible, handle is not null);
        }
        // And the other way round: while we hold, Python blocks unless compatible.
        await python.SendAsync("release");
        await python.WaitForLineAsync("RELEASED");
        using var ourHandle = side.Acquire(HelperProcess.LineLimit);
        await using var python2 = HelperProcess.StartPython("python_hold.py", dir.Environment(), pythonSide, name, dir.Path);
        _ = await python2.WaitForLineAsync(compatible ? "HELD" : "BUSY"); // fasteners' first try: free, or busy
        if (!compatible)
        {
            ourHandle.Dispose();
            await python2.WaitForLineAsync("HELD");
        }
        await python2.SendAsync("release");
    }

    [Fact]
    public async Task A_writer_is_not_starved_by_readers_in_other_processes_that_keep_the_lock_busy()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("starve");
        // Three reader processes, each holding the read lock 300 ms at a time and taking it again at once, staggered
        // so that there is always a reader: without writer preference the writer never gets in.
        var readers = new List<HelperProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var reader = HelperProcess.StartHelper(dir.Environment(), "readloop", name, "300");
                readers.Add(reader);
                await reader.WaitForLineAsync("READING", TestContext.Current.CancellationToken);
            }
            var writer = dir.Factory.CreateLock(name);
            // A writer that waits stops new readers, so it gets in once the readers inside have left: about one hold.
            // Without writer preference it would never get in (there is always a reader), so the limit only has to be
            // finite: the helpers' line limit, not a few holds that a loaded machine (or wine) can exceed.
            using var handle = writer.Acquire(HelperProcess.LineLimit, TestContext.Current.CancellationToken);
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.SendAsync("stop");
                await reader.DisposeAsync();
            }
        }
    }
}
