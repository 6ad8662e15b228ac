namespace TestLocks.TestSupport.Processes;

/// <summary>A fresh lock_path for one test, a factory over it, and the environment that points child processes at it.</summary>
public sealed class LockDir : IDisposable
{
    public LockDir(string? prefix = null)
    {
        Path = Directory.CreateTempSubdirectory("testlocks-tests-").FullName;
        Prefix = prefix;
        Settings = new TestLocksSettings { LockPath = Path, LockFilePrefix = prefix };
        Factory = new LockFactory(Settings);
    }

    public string Path { get; }
    public string? Prefix { get; }
    public TestLocksSettings Settings { get; }
    public LockFactory Factory { get; }

    /// <summary>A lock name no other test uses (in-process locks are keyed by name, process-wide).</summary>
    public static string UniqueName(string hint) => $"{hint}-{Guid.NewGuid():N}"[..Math.Min(hint.Length + 13, 60)];

    public Dictionary<string, string> Environment(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string> { ["TESTLOCKS_LOCK_PATH"] = Path };
        if (Prefix is not null) env["TESTLOCKS_LOCK_FILE_PREFIX"] = Prefix;
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
