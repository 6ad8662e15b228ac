using System.Runtime.InteropServices;
using TestLocks.Platform.Linux;
using TestLocks.Platform.Unix;
using TestLocks.Platform.Windows;

namespace TestLocks.Platform;

/// <summary>
/// The one seam between the engine and the operating system: how lock files are opened and locked, how lock_path is
/// created, and what the OS can say about a process. One subclass per OS, each in a folder of its own.
/// </summary>
internal abstract class LockFilePlatform
{
    /// <summary>The environment variable that forces a locking strategy (for tests of a strategy on another OS).</summary>
    public const string StrategyVariable = "TESTLOCKS_LOCK_STRATEGY";

    private static LockFilePlatform? s_current;

    /// <summary>This machine's platform, or the strategy <see cref="StrategyVariable"/> forces.</summary>
    public static LockFilePlatform Current => s_current ??= Select(Environment.GetEnvironmentVariable(StrategyVariable));

    /// <summary>What the platform is, for messages: "Linux open file description locks".</summary>
    public abstract string Name { get; }

    /// <summary>Opens the lock file at <paramref name="path"/>, creating it (mode 0644 where that applies) when
    /// <paramref name="create"/> is set. Never follows a symbolic link. Returns null and the reason on failure.</summary>
    public abstract LockFile? TryOpen(string path, bool create, out PlatformError error);

    /// <summary>What calls off a blocked lock wait from another thread, or null when this platform cannot
    /// (<see cref="LockFile.LockUntilStopped"/>).</summary>
    public virtual WaitInterrupter? Interrupter => null;

    /// <summary>Creates one directory with <paramref name="mode"/> (where the OS has modes; the umask applies).</summary>
    public abstract PlatformError CreateDirectory(string path, int mode);

    /// <summary>Whether process <paramref name="pid"/> on this machine is alive.</summary>
    public abstract bool IsProcessAlive(int pid);

    /// <summary>The command line of process <paramref name="pid"/>, when the OS tells it; else null.</summary>
    public abstract string? CommandLineOf(int pid);

#pragma warning disable CA1859 // one implementation per OS is the point of this seam
    private static LockFilePlatform Select(string? forced)
#pragma warning restore CA1859
    {
        switch (forced?.Trim().ToLowerInvariant())
        {
            case null or "":
                if (OperatingSystem.IsLinux()) return new OfdLockFiles();
                if (OperatingSystem.IsWindows()) return new WindowsLockFiles();
                if (OperatingSystem.IsMacOS()) return new FlockLockFiles();
                throw Unsupported();
            case "ofd" when OperatingSystem.IsLinux():
                return new OfdLockFiles();
            case "flock" when OperatingSystem.IsLinux() || OperatingSystem.IsMacOS():
                return new FlockLockFiles();
            case "lockfileex" when OperatingSystem.IsWindows():
                return new WindowsLockFiles();
            default:
                throw new TestLocksConfigurationException(
                    $"{StrategyVariable}={forced} is not a locking strategy this build has on {RuntimeInformation.OSDescription} " +
                    "(it has: ofd and flock on Linux, flock on macOS, lockfileex on Windows). " +
                    $"Fix: unset {StrategyVariable} to use the platform's own (it exists for testing a strategy on another OS).");
        }
    }

    private static PlatformNotSupportedException Unsupported() => new(
        $"TestLocks' file locks support Linux, Windows and macOS (this is {RuntimeInformation.OSDescription}). " +
        "Set [oslo_concurrency] disable_process_locking = true for in-process locks only, " +
        "or use a server backend (backend_url = postgresql://... or redis://...).");
}
