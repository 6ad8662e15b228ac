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
    private static readonly Lazy<LockFactory> s_default = new(() => new LockFactory());

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

    /// <summary>The factory the fixtures and <see cref="Oslo.Lockutils"/> use when given none, and the framework packages'
    /// attributes in a test assembly without a <see cref="Testing.LockFactoryAttribute"/>: built from
    /// <see cref="TestLocksSettings.Load"/> (the INI file and the environment) on first use, then the same for the whole
    /// process. For other settings or a logger, create a factory and pass it (<see cref="Fixtures.LockFixture"/>'s
    /// <c>factory</c>), or name it for a test assembly's attributes with <see cref="Testing.LockFactoryAttribute"/>.</summary>
    /// <exception cref="TestLocksConfigurationException">The configuration cannot be read.</exception>
    public static LockFactory Default => s_default.Value;

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

    /// <summary>Creates a counted lock named <paramref name="name"/>: at most <paramref name="slots"/> holders at once, across
    /// threads, processes and (with a server backend) machines. Every process must give the same count for a name.</summary>
    /// <remarks>Its slots are the locks <c>NAME.slot-1</c> .. <c>NAME.slot-N</c> and its waiters queue on <c>NAME.queue</c>
    /// (and, on lock files and PostgreSQL, <c>NAME.front</c>; with the prefix), in lock_path or on the server; a plain lock named <paramref name="name"/> is another lock.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slots"/> is not between 1 and <see cref="CountedLock.MaxSlots"/>.</exception>
    /// <exception cref="ArgumentException">The name cannot be a lock file name.</exception>
    /// <example><code>
    /// await using var slot = await LockFactory.Default.CreateSemaphore("cloud-quota", 3).AcquireAsync();
    /// Console.WriteLine($"slot {slot.Slot} of 3");
    /// </code></example>
    public CountedLock CreateSemaphore(string name, int slots, LockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (slots is < 1 or > CountedLock.MaxSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots,
                $"A counted lock has 1 to {CountedLock.MaxSlots} slots (Slots = / --slots / CreateSemaphore's slots); \"{name}\" was given {slots}. " +
                "Use a count within that range.");
        }
        options ??= LockOptions.Default;
        var names = Enumerable.Range(1, slots).Select(i => $"{name}.slot-{i}").ToArray();
        return Counted(name, names, members: null, options, beyond: () => SlotLock($"{name}.slot-{slots + 1}", FullName(name, options), slots, options));
    }

    /// <summary>Creates a resource pool named <paramref name="name"/>: each holder gets one of <paramref name="members"/>
    /// (for example db1..db4) that no other holder has, across threads, processes and (with a server backend) machines.</summary>
    /// <remarks>A member's slot is the member's own lock, so a plain lock of a member (<c>CreateLock("db2")</c>,
    /// <c>[ExternalLock("db2")]</c>) excludes a lease of that member, and the other way round. Waiters queue on
    /// <c>NAME.queue</c> (and, on lock files and PostgreSQL, <c>NAME.front</c>). Every process must give the pool the same members.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The pool has no members or more than <see cref="CountedLock.MaxSlots"/>.</exception>
    /// <exception cref="ArgumentException">A member is named twice, or a name cannot be a lock file name.</exception>
    public CountedLock CreatePool(string name, IReadOnlyList<string> members, LockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count is < 1 or > CountedLock.MaxSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(members), members.Count,
                $"A pool has 1 to {CountedLock.MaxSlots} members; pool \"{name}\" was given {members.Count}. List its members, for example db1, db2, db3.");
        }
        if (members.GroupBy(m => m, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Pool \"{name}\" names the member \"{twice.Key}\" twice; each member must appear once.", nameof(members));
        }
        options ??= LockOptions.Default;
        return Counted(name, [.. members], [.. members], options, beyond: () => null);
    }

    /// <summary>Creates the pool named <paramref name="name"/> in the settings' <c>[testlocks.pools]</c> section.</summary>
    /// <exception cref="TestLocksConfigurationException">No such pool is configured; the message lists the pools there are.</exception>
    public CountedLock CreatePool(string name, LockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Settings.Pools.TryGetValue(name, out var members))
        {
            throw new TestLocksConfigurationException(
                $"No pool named \"{name}\" is configured ({(Settings.ConfigFile is { } file ? $"INI file '{file}'" : "no INI file was found")}; pools: " +
                $"{(Settings.Pools.Count == 0 ? "none" : string.Join(", ", Settings.Pools.Keys))}). " +
                $"Fix: add it to the INI file's [testlocks.pools] section, for example \"{name} = db1, db2, db3\", or pass the members in code.");
        }
        return CreatePool(name, members, options);
    }

    private CountedLock Counted(string name, string[] slotNames, string[]? members, LockOptions options, Func<TestLock?> beyond)
    {
        var fullName = FullName(name, options);
        var backend = BackendFor(options);
        var slots = slotNames.Select(n => new TestLock(this, FullName(n, options), LockMode.Write, backend, options)
        {
            SlotOf = fullName,
            Slots = slotNames.Length,
            Quiet = true,
        }).ToArray();
        var turnstile = new TestLock(this, FullName(name + ".queue", options), LockMode.Write, backend, options) { Quiet = true, Untraced = true };
        // Lock files and PostgreSQL: the front waiter lets the queue go while it waits (see CountedLock.WaitForAny), so two
        // waiters wait on the slots, in the kernel or in the server's lock queues. On Redis, whose waits are scripts on one
        // connection, the front is round trips more per acquire.
        var front = backend?.Kind is "file" or "postgres"
            ? new TestLock(this, FullName(name + ".front", options), LockMode.Write, backend, options) { Quiet = true, Untraced = true }
            : null;
        return new CountedLock(this, fullName, turnstile, front, slots, members, options, beyond);
    }

    /// <summary>The lock of one slot beyond a counted lock's count, to see whether a holder declared more; null when its name
    /// cannot be a lock name.</summary>
    private TestLock? SlotLock(string slotName, string fullName, int slots, LockOptions options)
    {
        try
        {
            return new TestLock(this, FullName(slotName, options), LockMode.Write, BackendFor(options), options) { SlotOf = fullName, Slots = slots, Quiet = true };
        }
        catch (ArgumentException)
        {
            return null;
        }
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
        var external = options.WithExternal(true);
        var backend = BackendFor(external);
        var fileBackend = backend as Backends.File.FileLockBackend;
        var @lock = CreateLock(name, fileBackend is null ? options.WithExternal(false) : external);
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
