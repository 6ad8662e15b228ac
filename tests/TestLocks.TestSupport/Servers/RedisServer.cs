using System.Diagnostics;

namespace TestLocks.TestSupport.Servers;

/// <summary>
/// A redis-server of our own on 127.0.0.1 and a free port, with a password, keeping nothing on disk
/// (<c>--save "" --appendonly no</c>), so a restart forgets every lock as a real crash of such a server does.
/// </summary>
public sealed class RedisServer : ITestServer
{
    public const string Password = "redis-secret-4b8e";

    private readonly string _dir;
    private Process? _process;

    private RedisServer(string dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The backend_url, with optional query options.</summary>
    public string Url(string query = "") => $"redis://:{Password}@127.0.0.1:{Port}{query}";

    /// <summary>Starts a fresh server. No lock can be held from before it, so it skips TestLocks' grace of one lease
    /// after a server's start, as docs/backends.md tells a CI job that starts its own Redis to do; a server started
    /// again (<see cref="StartServerAsync"/>) keeps the grace, as after a crash.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(Directory.CreateTempSubdirectory("testlocks-redis-").FullName, Command.FreePort());
        await server.StartServerAsync();
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},password={Password}");
        await connection.GetDatabase().StringSetAsync("testlocks:epoch", 0);
        return server;
    }

    public async Task StartServerAsync()
    {
        var info = new ProcessStartInfo("redis-server", ["--port", $"{Port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--requirepass", Password, "--dir", _dir, "--loglevel", "notice"])
        { RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start: apt-get install redis-server (build/setup.sh does).");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                _process = process;
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None); // keep the pipe drained
                return;
            }
        }
        throw new InvalidOperationException($"redis-server on port {Port} exited before it was ready (exit code {process.ExitCode}).");
    }

    /// <summary>Stops the server with SIGTERM and waits until its process is gone.</summary>
    public async Task StopServerAsync()
    {
        var process = Interlocked.Exchange(ref _process, null) ?? throw new InvalidOperationException("redis-server is not running");
        await Command.RunAsync("kill", ["-TERM", $"{process.Id}"]);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(limit.Token);
        process.Dispose();
    }

    /// <summary>Kills the server with SIGKILL (a crash: no shutdown of its own) and waits until its process is gone.</summary>
    public async Task KillServerAsync()
    {
        var process = Interlocked.Exchange(ref _process, null) ?? throw new InvalidOperationException("redis-server is not running");
        process.Kill();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(limit.Token);
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _process, null) is { } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
