using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TestLocks.Backends;
using TestLocks.Diagnostics;
using TestLocks.Naming;

namespace TestLocks;

/// <summary>
/// Makes named locks from one set of settings and one backend. <see cref="Default"/> reads the settings from the
/// INI file and the environment on first use; create your own for other settings or a logger.
/// </summary>
/// <example>
/// <code>
/// var locks = new LockFactory(TestLocksSettings.Load(), loggerFactory);
/// await using (await locks.CreateLock("availability_zone", new LockOptions { Prefix = "tempest-" }).AcquireAsync())
/// {
///     // only one process on this machine (or, with a server backend, on any machine) runs this at a time
/// }
/// </code>
/// </example>
public sealed class LockFactory
{
    private static readonly object s_defaultGate = new();
    private static LockFactory? s_default;

    private readonly Lazy<LockBackend> _backend;
    private readonly ConcurrentDictionary<string, LockBackend> _pathBackends = new(StringComparer.Ordinal);

    /// <summary>Creates a factory.</summary>
    /// <param name="settings">The settings; <see cref="TestLocksSettings.Load"/> when null.</param>
    /// <param name="loggerFactory">Where lock logs go (category "TestLocks"); nowhere when null.</param>
    public LockFactory(TestLocksSettings? settings = null, ILoggerFactory? loggerFactory = null)
    {
        Settings = settings ?? TestLocksSettings.Load();
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Log = new LockLog(LoggerFactory.CreateLogger("TestLocks"));
        _backend = new Lazy<LockBackend>(() => BackendResolver.Create(Settings));
    }

    /// <summary>The factory the attributes, fixtures and <see cref="Lockutils"/> use, built from
    /// <see cref="TestLocksSettings.Load"/> on first use. Set it to change settings or logging for all of them.</summary>
    /// <exception cref="TestLocksConfigurationException">The configuration cannot be read.</exception>
    public static LockFactory Default
    {
        get
        {
            lock (s_defaultGate) return s_default ??= new LockFactory();
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (s_defaultGate) s_default = value;
        }
    }

    /// <summary>The settings this factory uses.</summary>
    public TestLocksSettings Settings { get; }

    /// <summary>Where this factory's lock logs go.</summary>
    public ILoggerFactory LoggerFactory { get; }

    internal LockLog Log { get; }

    /// <summary>Creates an exclusive lock named <paramref name="name"/> (a prefix from the options or settings is added).</summary>
    /// <exception cref="ArgumentException">The name cannot be a lock file name (empty, NUL, ".", "..", too long).</exception>
    public TestLock CreateLock(string name, LockOptions? options = null)
    {
        options ??= LockOptions.Default;
        return new TestLock(this, FullName(name, options), LockMode.Write, BackendFor(options), options);
    }

    /// <summary>Creates a reader/writer lock named <paramref name="name"/>; its write side is the same lock as
    /// <see cref="CreateLock"/> gives for that name.</summary>
    public TestReaderWriterLock CreateReaderWriterLock(string name, LockOptions? options = null)
    {
        options ??= LockOptions.Default;
        var fullName = FullName(name, options);
        var backend = BackendFor(options);
        return new TestReaderWriterLock(new TestLock(this, fullName, LockMode.Read, backend, options), new TestLock(this, fullName, LockMode.Write, backend, options));
    }

    /// <summary>Removes the lock file of <paramref name="name"/>, as oslo's <c>remove_external_lock_file</c> does, but
    /// safely: it first takes the lock itself (in-process and across processes, waiting up to lock_timeout), so the file
    /// is never removed under a holder. Returns false when there was no file.</summary>
    /// <remarks>TestLocks waiters blocked on the removed file notice it and lock the new one. Python oslo processes
    /// waiting on the old file do not: remove lock files only when no oslo process can be waiting on them.</remarks>
    /// <exception cref="LockTimeoutException">The lock was held for longer than lock_timeout.</exception>
    public bool RemoveExternalLockFile(string name, LockOptions? options = null)
    {
        options ??= LockOptions.Default;
        var external = options with { External = true };
        var backend = BackendFor(external);
        var fileBackend = backend as Files.FileLockBackend;
        var @lock = CreateLock(name, fileBackend is null ? options with { External = false } : external);
        if (fileBackend is not null && !File.Exists(fileBackend.Describe(@lock.Name))) return false;
        using (@lock.Acquire())
        {
            return backend?.Remove(@lock.Name) ?? false;
        }
    }

    private string FullName(string name, LockOptions options) => LockFileName.Build(name, options.Prefix ?? Settings.LockFilePrefix);

    private LockBackend? BackendFor(LockOptions options)
    {
        if (!options.External || Settings.DisableProcessLocking) return null;
        if (options.LockPath is null) return _backend.Value;
        Configuration.RelativeLockPath.Refuse(options.LockPath, "LockOptions.LockPath in code", variable: null);
        var path = Path.GetFullPath(options.LockPath);
        return _pathBackends.GetOrAdd(path, p => BackendResolver.ForLockPath(p, "LockOptions.LockPath in code", isDefault: false));
    }
}
