using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>One backend the behaviour tests run against: settings for this process, the environment that points
/// helper processes at the same backend, and a scratch directory (for counter files). One per test.</summary>
public abstract class BackendTarget : IDisposable
{
    private readonly LockDir _scratch = new();
    private LockFactory? _factory;

    /// <summary>The settings for this process's factory.</summary>
    public abstract TestLocksSettings Settings { get; }

    /// <summary>The environment that gives a helper process the same backend.</summary>
    public abstract Dictionary<string, string> Environment();


    /// <summary>Acquisitions per thread in the stress test: enough to race, few enough for a polling backend.</summary>
    public virtual int StressIterations => 40;

    public LockFactory Factory => _factory ??= new LockFactory(Settings);

    public string File(string name) => _scratch.File(name);

    public void Dispose()
    {
        _scratch.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Lock files in a fresh lock_path: the default backend.</summary>
public sealed class FileTarget : BackendTarget
{
    private readonly LockDir _dir = new();

    public override TestLocksSettings Settings => _dir.Settings;

    public override Dictionary<string, string> Environment() => _dir.Environment();

    public override int StressIterations => 100;
}

/// <summary>A server backend chosen by backend_url, as users choose it.</summary>
public sealed class ServerTarget(string backendUrl, int stressIterations) : BackendTarget
{
    public string BackendUrl { get; } = backendUrl;

    public override TestLocksSettings Settings { get; } = new() { BackendUrl = backendUrl };

    public override Dictionary<string, string> Environment() => new() { ["TESTLOCKS_BACKEND_URL"] = BackendUrl };

    public override int StressIterations => stressIterations;

    public static ServerTarget Postgres(PostgresServer server) => new(server.Url(), stressIterations: 40);

    /// <summary>A 2 s lease, so a killed holder's lock comes back within the test's patience (the default is 30 s).</summary>
    public static ServerTarget Redis(RedisServer server) => new(server.Url("?lock_timeout=2"), stressIterations: 20);
}
