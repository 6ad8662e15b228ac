namespace TestLocks.NUnit.Tests.Harness;

/// <summary>
/// One test's private world: a lock directory, an empty configuration file, and the journal the scenario processes
/// write their phases to. <see cref="Locks"/> is a plain core factory on the same lock directory, for the driving test
/// to hold or probe locks as any other .NET process would.
/// </summary>
public sealed class Workspace : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("testlocks-nunit-");

    public Workspace()
    {
        ConfigFile = Path.Combine(_root.FullName, "testlocks.conf");
        File.WriteAllText(ConfigFile, "");
        LockPath = Path.Combine(_root.FullName, "locks");
        JournalFile = Path.Combine(_root.FullName, "journal");
        var empty = new Dictionary<string, string?>();
        Locks = new LockFactory(TestLocksSettings.Load(ConfigFile, empty) with { LockPath = LockPath });
    }

    public string Root => _root.FullName;

    public string ConfigFile { get; }

    public string LockPath { get; }

    public string JournalFile { get; }

    public LockFactory Locks { get; }

    /// <summary>The journal as "TAG phase" lines, in the order the processes wrote them.</summary>
    public IReadOnlyList<string> Journal() => File.Exists(JournalFile) ? File.ReadAllLines(JournalFile) : [];

    /// <summary>Whether another process could take <paramref name="name"/> for writing right now.</summary>
    public bool IsFree(string name, string? prefix = null)
    {
        using var handle = Locks.CreateLock(name, new LockOptions { Prefix = prefix, Owner = "probe" }).TryAcquire();
        return handle is not null;
    }

    /// <summary>Holds <paramref name="name"/> as a plain core user named <paramref name="owner"/>.</summary>
    public LockHandle Hold(string name, string owner = "the driving test") =>
        Locks.CreateLock(name, new LockOptions { Owner = owner }).Acquire(TimeSpan.FromSeconds(30));

    public void Dispose() => _root.Delete(recursive: true);
}
