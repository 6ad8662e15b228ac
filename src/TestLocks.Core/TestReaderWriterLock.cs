namespace TestLocks;

/// <summary>
/// A named reader/writer lock: many readers or one writer, in this process and across processes. In-process,
/// requests are served first come, first served, so writers are never starved; across processes it takes
/// F_RDLCK/F_WRLCK on the lock file, which interoperates with fasteners' InterProcessReaderWriterLock.
/// The write side is the same lock as an exclusive <see cref="TestLock"/> of the same name.
/// </summary>
public sealed class TestReaderWriterLock
{
    internal TestReaderWriterLock(TestLock readLock, TestLock writeLock)
    {
        ReadLock = readLock;
        WriteLock = writeLock;
    }

    /// <summary>The lock's full name, prefix included.</summary>
    public string Name => WriteLock.Name;

    /// <summary>The shared side: <c>using var h = rw.ReadLock.Acquire();</c></summary>
    public TestLock ReadLock { get; }

    /// <summary>The exclusive side: <c>await using var h = await rw.WriteLock.AcquireAsync();</c></summary>
    public TestLock WriteLock { get; }
}
