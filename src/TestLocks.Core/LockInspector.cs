using TestLocks.Backends;
using TestLocks.Diagnostics;
using TestLocks.Backends.File;
using TestLocks.Naming;

namespace TestLocks;

/// <summary>
/// Looks at locks without taking them or waiting: where they live, who holds one now (pid, host, test, mode, since
/// when, and on a server backend its fencing token; for a slot of a counted lock, which lock and how many slots), and
/// what a holder on this host is doing. It reads the configuration tests read, so it sees the locks they see. This is
/// what <c>testlocks status</c> shows; a program of your own can say the same, for example a CI step that names who
/// holds the lock a job timed out on:
/// <code>
/// await using var locks = new LockInspector();
/// var holder = locks.GetHolder(locks.FullName("availability_zone"));
/// Console.WriteLine(holder is null ? "free" : $"held by {holder}");
/// </code>
/// </summary>
public sealed class LockInspector : IAsyncDisposable, IDisposable
{
    private readonly LockBackend _backend;

    /// <summary>Looks at the locks of <paramref name="settings"/>, or of the configuration tests read when null
    /// (<see cref="TestLocksSettings.Load"/>).</summary>
    /// <exception cref="TestLocksConfigurationException">The settings are wrong (for example a backend_url of an unknown scheme,
    /// or of a backend package this program does not reference); the message names the setting and the fix.</exception>
    public LockInspector(TestLocksSettings? settings = null)
    {
        Settings = settings ?? TestLocksSettings.Load();
        _backend = BackendResolver.Create(Settings);
        if (_backend is FileLockBackend files)
        {
            LockPath = files.LockPath;
            Where = $"lock_path {files.LockPath} ({Settings.OriginOf(nameof(TestLocksSettings.LockPath))})";
        }
        else
        {
            Where = $"backend_url {BackendResolver.Mask(Settings.BackendUrl!)} ({Settings.OriginOf(nameof(TestLocksSettings.BackendUrl))})";
        }
    }

    /// <summary>The settings looked at.</summary>
    public TestLocksSettings Settings { get; }

    /// <summary>The folder of the lock files (lock_path, or a <c>file://</c> backend_url), where every file is a lock
    /// named by its file name; null when the locks live on a server, which cannot list them.</summary>
    public string? LockPath { get; }

    /// <summary>Where the locks live, for a person, with the setting that said so: "lock_path /tmp/locks
    /// (TESTLOCKS_LOCK_PATH)", or "backend_url redis://:***@host:6379 (testlocks.ini)" (a password is never shown).</summary>
    public string Where { get; }

    /// <summary>The full name of the lock a test names <paramref name="name"/>, as <see cref="TestLock.Name"/> gives it:
    /// oslo's rule, <paramref name="prefix"/> (the configured lock_file_prefix when null) + "-" + name; on the file
    /// backend, its file name in <see cref="LockPath"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> cannot be a lock name (empty, NUL, too long); the message says why.</exception>
    public string FullName(string name, string? prefix = null) => LockFileName.Build(name, prefix ?? Settings.LockFilePrefix);

    /// <summary>Where the lock <paramref name="fullName"/> lives: its lock file's path, or the server and key.</summary>
    public string Locate(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return _backend.Describe(fullName);
    }

    /// <summary>Who holds the lock <paramref name="fullName"/> (a full name, see <see cref="FullName"/>) now; null when
    /// nobody does, or when the backend cannot tell (a server backend tells only of a lock taken through TestLocks).</summary>
    /// <exception cref="TestLocksException">The backend cannot be read (a server that does not answer).</exception>
    /// <exception cref="IOException">The lock file cannot be read.</exception>
    public LockHolder? GetHolder(string fullName) => GetHolderAsync(fullName).AsTask().GetAwaiter().GetResult();

    /// <summary>The asynchronous form of <see cref="GetHolder"/>.</summary>
    public ValueTask<LockHolder?> GetHolderAsync(string fullName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return _backend.GetHolderAsync(fullName, cancellationToken);
    }

    /// <summary>What each of <paramref name="holders"/> is doing, looked at twice, <paramref name="interval"/> apart (this
    /// call blocks that long when any holder has a pid): alive or not, its process state, and the CPU time it used in
    /// between; the same <see cref="HolderActivity"/> a wait notice carries. An entry is null for a null holder or one with
    /// no pid, and says nothing is known for a holder on another host. With a zero interval, the CPU time is not measured.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative.</exception>
    public static IReadOnlyList<HolderActivity?> SampleActivity(IReadOnlyList<LockHolder?> holders, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(holders);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        var looks = holders.Select(h => (Holder: h, Look: new ProcessActivity())).ToList();
        foreach (var (holder, look) in looks) look.Look(holder);
        if (interval > TimeSpan.Zero && holders.Any(h => h?.ProcessId is not null)) Thread.Sleep(interval);
        return [.. looks.Select(x => x.Look.Look(x.Holder))];
    }

    /// <summary>Closes the backend's connections.</summary>
    public ValueTask DisposeAsync() => _backend.DisposeAsync();

    /// <summary>Closes the backend's connections.</summary>
    public void Dispose() => _backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
