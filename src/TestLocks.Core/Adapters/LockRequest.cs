using TestLocks.Testing;

namespace TestLocks.Adapters;

/// <summary>
/// One lock a test asks for: a name, an optional prefix (the configured lock_file_prefix when null) and a mode. For
/// framework packages (a TestLocks attribute's <see cref="ILockRequestSource.RequestsFor"/>), not for tests.
/// </summary>
public sealed class LockRequest
{
    /// <summary>The name of the reader/writer lock behind serial tests (Tempest's <c>@serial</c> uses
    /// <c>tempest-serial-rw-lock</c>; with prefix "tempest-" this is the same file). Serial tests take its write side,
    /// every other test run through a TestLocks framework package takes its read side.</summary>
    public const string SerialLockName = "serial-rw-lock";

    /// <summary>A request for the lock <paramref name="name"/>.</summary>
    /// <param name="name">The lock name, e.g. "availability_zone".</param>
    /// <param name="prefix">The lock file prefix; the configured one when null.</param>
    /// <param name="mode">Write (exclusive, the default) or read (shared).</param>
    public LockRequest(string name, string? prefix = null, LockMode mode = LockMode.Write)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) throw new ArgumentException(Naming.LockFileName.EmptyName, nameof(name));
        Name = name;
        Prefix = prefix;
        Mode = mode;
    }

    /// <summary>The lock name, e.g. "availability_zone".</summary>
    public string Name { get; }

    /// <summary>The lock file prefix; the configured one when null.</summary>
    public string? Prefix { get; }

    /// <summary>Write (exclusive) or read (shared).</summary>
    public LockMode Mode { get; }

    /// <summary>With a value, the request is for one slot of the counted lock <see cref="Name"/> with this many slots
    /// (<c>[ExternalLock("quota", Slots = 3)]</c>; see <see cref="LockFactory.CreateSemaphore"/>); null for a plain lock.</summary>
    public int? Slots { get; init; }

    /// <summary>True when the request is for a free member of the pool <see cref="Name"/> (<c>[Lease("database")]</c>;
    /// see <see cref="LockFactory.CreatePool(string, LockOptions?)"/>), which the test reads with <see cref="Lease.Current"/>.</summary>
    internal bool IsLease { get; init; }

    /// <summary>A request for a free member of the configured pool <paramref name="pool"/>.</summary>
    public static LockRequest Lease(string pool, string? prefix = null) => new(pool, prefix) { IsLease = true };

    /// <summary>The write side of the serial lock: the test runs while no other TestLocks test runs anywhere on this
    /// machine (or backend).</summary>
    public static LockRequest Serial(string? prefix = null) => new(SerialLockName, prefix, LockMode.Write);

    /// <summary>The read side of the serial lock, which every non-serial test takes.</summary>
    internal static LockRequest NotSerial(string? prefix = null) => new(SerialLockName, prefix, LockMode.Read);

    /// <inheritdoc />
    public override string ToString() => $"{Prefix}{Name} ({Mode}{(Slots is { } s ? $", {s} slots" : "")}{(IsLease ? ", lease" : "")})";
}
