namespace TestLocks.TestSupport.CrossProcess;

/// <summary>
/// One cross-process test: a lock_path and a journal of its own, and the harness as a lock holder named "harness".
/// Each scenario has a lock file prefix of its own ("fx3-"), given to its fixture processes too: in-process locks go by
/// name alone (as oslo's do), so scenarios running at once in this process must not share names.
/// </summary>
internal sealed class Scenario : IDisposable
{
    private static int s_count;

    private readonly LockFactory _locks;

    public Scenario()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("testlocks-xunit-cross-").FullName;
        LockPath = Path.Combine(Directory, "locks");
        Journal = new JournalFile(Path.Combine(Directory, "journal"));
        _locks = new LockFactory(new TestLocksSettings { LockPath = LockPath });
    }

    public string Directory { get; }

    public string Prefix { get; } = $"fx{Interlocked.Increment(ref s_count)}-";

    public string LockPath { get; }

    public JournalFile Journal { get; }

    /// <summary>Takes <paramref name="name"/> as the fixture processes name it, as the holder "harness".</summary>
    public LockHandle Hold(string name, LockMode mode = LockMode.Write)
    {
        var rw = _locks.CreateReaderWriterLock(name, new LockOptions { Prefix = Prefix, Owner = "harness" });
        return (mode == LockMode.Write ? rw.WriteLock : rw.ReadLock).Acquire(TimeSpan.FromSeconds(30));
    }

    /// <summary>Journals "harness released" and releases <paramref name="handles"/>; returns the journal position of that line.</summary>
    public int Release(params LockHandle[] handles)
    {
        Journal.Append("harness", "released", string.Join(',', handles.Select(h => h.Name)));
        var index = Journal.Read().Count - 1;
        foreach (var h in handles) h.Dispose();
        return index;
    }

    public void Dispose()
    {
        Journal.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a fixture process killed on failure may still hold a file open; the temp directory is left behind
        }
    }
}
