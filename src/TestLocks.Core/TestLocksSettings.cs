using System.Collections.Immutable;

namespace TestLocks;

/// <summary>
/// TestLocks' settings. Layers, lowest to highest: built-in defaults, the INI file (tempest.conf layout), the
/// environment, then code (<c>settings with { LockPath = ... }</c>). Each value remembers where it came from, so
/// errors can name the setting to change. (A record on purpose: <c>loaded with { LockPath = ... }</c> is how code overrides
/// one loaded setting and keeps the others, with their origins.)
/// </summary>
/// <remarks>
/// INI options: <c>[oslo_concurrency] lock_path</c>, <c>disable_process_locking</c> (the older <c>[DEFAULT] lock_path</c>
/// is accepted), and <c>[testlocks] lock_file_prefix</c>, <c>lock_timeout</c>, <c>warn_after</c>, <c>backend_url</c>, <c>events</c>.
/// Environment: <c>TESTLOCKS_CONFIG</c> (the file), <c>TESTLOCKS_LOCK_PATH</c> or <c>OSLO_LOCK_PATH</c>,
/// <c>TESTLOCKS_DISABLE_PROCESS_LOCKING</c>, <c>TESTLOCKS_LOCK_FILE_PREFIX</c>, <c>TESTLOCKS_LOCK_TIMEOUT</c>,
/// <c>TESTLOCKS_WARN_AFTER</c>, <c>TESTLOCKS_BACKEND_URL</c>, <c>TESTLOCKS_EVENTS</c>. See tempest.conf.sample.
/// </remarks>
public sealed record TestLocksSettings
{
    private static readonly Lazy<string> s_defaultLockPath = new(() => Configuration.DefaultLockDirectory.For(Configuration.SettingsLoader.ProcessEnvironment()));

    private readonly string _lockPath;
    private readonly bool _disableProcessLocking;
    private readonly string? _lockFilePrefix;
    private readonly TimeSpan _lockTimeout = Timeout.InfiniteTimeSpan;
    private readonly TimeSpan _warnAfter = DefaultWarnAfter;
    private readonly string? _backendUrl;
    private readonly string? _eventsPath;

    /// <summary>Creates settings with every value at its default.</summary>
    public TestLocksSettings() : this(DefaultLockPath) { }

    /// <summary>Creates settings whose default lock_path is <paramref name="defaultLockPath"/> (chosen from the environment being loaded).</summary>
    internal TestLocksSettings(string defaultLockPath) => _lockPath = defaultLockPath;

    /// <summary>The directory for lock files, an absolute path (a relative one is refused: test processes of one run do
    /// not share a working directory). Default: <see cref="DefaultLockPath"/>, created with mode 0700.</summary>
    /// <exception cref="TestLocksConfigurationException">The path is empty or relative.</exception>
    public string LockPath { get => _lockPath; init { _lockPath = ValidatePath(value); Origins = Origins.SetItem(nameof(LockPath), "code (TestLocksSettings.LockPath)"); } }

    /// <summary>When true, external locks only exclude threads of this process, as in oslo. Default false.</summary>
    public bool DisableProcessLocking { get => _disableProcessLocking; init { _disableProcessLocking = value; Origins = Origins.SetItem(nameof(DisableProcessLocking), "code (TestLocksSettings.DisableProcessLocking)"); } }

    /// <summary>The prefix for lock names when a lock does not give one (Tempest uses "tempest-"). Default none.</summary>
    public string? LockFilePrefix { get => _lockFilePrefix; init { _lockFilePrefix = value; Origins = Origins.SetItem(nameof(LockFilePrefix), "code (TestLocksSettings.LockFilePrefix)"); } }

    /// <summary>How long an acquire waits before it fails with <see cref="LockTimeoutException"/>. Default: no limit.</summary>
    public TimeSpan LockTimeout { get => _lockTimeout; init { _lockTimeout = ValidateTimeout(value, nameof(LockTimeout)); Origins = Origins.SetItem(nameof(LockTimeout), "code (TestLocksSettings.LockTimeout)"); } }

    /// <summary>How often a waiting acquire reports who holds its lock, after the report at the start of the wait: to its
    /// OnWaiting observer (a test's live output) and, at warning level, to the log. Default <see cref="DefaultWarnAfter"/>.</summary>
    public TimeSpan WarnAfter { get => _warnAfter; init { _warnAfter = ValidatePositive(value, nameof(WarnAfter)); Origins = Origins.SetItem(nameof(WarnAfter), "code (TestLocksSettings.WarnAfter)"); } }

    /// <summary>The default <see cref="WarnAfter"/>: 10 s, short enough that a wait never looks like a hang (a live line
    /// at least that often), long enough that a CPU time measured over it tells a working holder from a stuck one.</summary>
    public static TimeSpan DefaultWarnAfter { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The backend for cross-process locks: null or <c>file://</c> for lock files in <see cref="LockPath"/>,
    /// or a server URL such as <c>postgresql://user:pass@host/db</c> or <c>redis://host:6379</c>.</summary>
    public string? BackendUrl { get => _backendUrl; init { _backendUrl = value; Origins = Origins.SetItem(nameof(BackendUrl), "code (TestLocksSettings.BackendUrl)"); } }

    /// <summary>The run journal's folder: when set, each process appends one JSON line per lock wait, acquire, release and
    /// timeout to a file of its own there, which <c>testlocks report</c> turns into a timeline. Default: null (off).</summary>
    /// <exception cref="TestLocksConfigurationException">The path is relative (from code or the environment).</exception>
    public string? EventsPath { get => _eventsPath; init { _eventsPath = ValidateEventsPath(value); Origins = Origins.SetItem(nameof(EventsPath), "code (TestLocksSettings.EventsPath)"); } }

    /// <summary>Resource pools by name, each with its members in order: the INI file's <c>[testlocks.pools]</c> section
    /// (<c>database = db1, db2, db3, db4</c>), for <see cref="LockFactory.CreatePool(string, LockOptions?)"/>, <c>[Lease("database")]</c>
    /// and <c>testlocks run --lease</c>. Default: none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Pools { get; init; } = ImmutableDictionary<string, IReadOnlyList<string>>.Empty;

    /// <summary>The INI file the settings were read from, or null.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Where each setting that is not a default came from, by property name: "[oslo_concurrency] lock_path in
    /// /etc/tempest.conf (line 3)", "environment variable OSLO_LOCK_PATH", "code (...)". Kept by the settings themselves:
    /// setting a property in code (<c>new TestLocksSettings { LockPath = ... }</c>, <c>loaded with { LockPath = ... }</c>)
    /// records code for that property and keeps the others' origins; only the loader records a file or a variable.
    /// (Read it with <see cref="OriginOf"/>.)</summary>
    internal ImmutableDictionary<string, string> Origins { get; private set; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>A copy of these settings whose values came from <paramref name="origins"/> (the loader's file lines and
    /// variables) instead of code.</summary>
    internal TestLocksSettings LoadedFrom(ImmutableDictionary<string, string> origins)
    {
        var copy = this with { };
        copy.Origins = origins;
        return copy;
    }

    /// <summary>The per-user lock directory used when nothing is configured: <c>$XDG_RUNTIME_DIR/testlocks</c> when
    /// XDG_RUNTIME_DIR names a private directory of the user (a login session's <c>/run/user/&lt;uid&gt;</c>), else
    /// <c>/tmp/testlocks-&lt;uid&gt;</c>; not taken from TMPDIR, so every process of the user's run agrees on it. It is created
    /// 0700, and refused with <see cref="LockPathException"/> when it is a link, belongs to another user or others may write in it.</summary>
    public static string DefaultLockPath => s_defaultLockPath.Value;

    /// <summary>Whether <see cref="LockPath"/> is the built-in default.</summary>
    public bool IsDefaultLockPath => !Origins.ContainsKey(nameof(LockPath));

    /// <summary>Where <paramref name="setting"/> (a property name, e.g. <c>nameof(TestLocksSettings.LockPath)</c>) came
    /// from, as errors name it: "[oslo_concurrency] lock_path in /etc/tempest.conf (line 3)", "environment variable
    /// OSLO_LOCK_PATH", "code (TestLocksSettings.LockPath)", or the built-in default.</summary>
    public string OriginOf(string setting) => Origins.TryGetValue(setting, out var origin) ? origin : "the built-in default (nothing configured it)";

    /// <summary>
    /// Reads the settings: defaults, then <paramref name="configFile"/> (or the file named by TESTLOCKS_CONFIG, or the first
    /// <c>testlocks.conf</c> in the current directory or its parents, <c>~/.config/testlocks/testlocks.conf</c>,
    /// <c>/etc/testlocks/testlocks.conf</c>), then the environment.
    /// </summary>
    /// <param name="configFile">An INI file to read instead of searching for one.</param>
    /// <param name="environment">The environment to read; the process environment when null.</param>
    /// <exception cref="TestLocksConfigurationException">The file is missing or malformed, or a value is invalid.</exception>
    public static TestLocksSettings Load(string? configFile = null, IReadOnlyDictionary<string, string?>? environment = null)
        => Configuration.SettingsLoader.Load(configFile, environment ?? Configuration.SettingsLoader.ProcessEnvironment());

    private static string ValidatePath(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains('\0', StringComparison.Ordinal))
        {
            throw new TestLocksConfigurationException($"lock_path \"{value}\" is not a usable directory path. Set it to a directory, for example {Path.Combine(Path.GetTempPath(), "tempest-lock")}.");
        }
        Configuration.RelativeLockPath.Refuse(value, "code (TestLocksSettings.LockPath)", variable: null);
        return Path.GetFullPath(value);
    }

    private static string? ValidateEventsPath(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!Path.IsPathRooted(value))
        {
            throw new TestLocksConfigurationException(
                $"events \"{value}\" is a relative path. Test processes of one run start in different working directories, so each would " +
                "write its journal to a folder of its own. Fix: set an absolute path, or put events = PATH in a testlocks.conf, where a relative path means the file's folder.");
        }
        return Path.GetFullPath(value);
    }

    private static TimeSpan ValidateTimeout(TimeSpan value, string name) =>
        value == Timeout.InfiniteTimeSpan || value >= TimeSpan.Zero ? value
        : throw new TestLocksConfigurationException($"{name} is {value}; it must be zero or more, or Timeout.InfiniteTimeSpan for no limit.");

    private static TimeSpan ValidatePositive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value
        : throw new TestLocksConfigurationException($"{name} is {value}; it must be more than zero, for example 30 seconds.");
}
