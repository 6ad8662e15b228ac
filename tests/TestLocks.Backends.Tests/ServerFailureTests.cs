using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// What a server backend does when its server fails: a restart during a hold fails the holder (and never leaves two
/// holders), an unreachable, silent or refusing server fails fast with the backend_url masked. Written once, run
/// against PostgreSQL and Redis by the subclasses at the end of this file.
/// </summary>
public abstract class ServerFailureTests
{
    /// <summary>More than any bounded failure may take: connect and socket timeouts are 1 s in these tests.</summary>
    private static readonly TimeSpan s_failFast = TimeSpan.FromSeconds(15);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A server of the test's own, since it is stopped and started.</summary>
    protected abstract Task<ITestServer> StartServerAsync();

    /// <summary>The scheme and the option that bounds connecting, e.g. ("postgresql", "connect_timeout").</summary>
    protected abstract (string Scheme, string TimeoutOption) Protocol { get; }

    /// <summary>The server shared by tests that do not stop it.</summary>
    protected abstract ITestServer SharedServer { get; }

    /// <summary>A URL that reaches the server with a wrong password.</summary>
    protected abstract string WrongPasswordUrl(ITestServer server, string password);

    private static LockFactory FactoryFor(string url) => new(new TestLocksSettings { BackendUrl = url });

    /// <summary>The query of a server the test restarts: Redis grants nothing within a lease of its start, so a short one.</summary>
    protected virtual string RestartQuery => "";

    [Fact]
    public async Task A_server_restart_during_a_hold_fails_the_holder_clearly_and_never_gives_two_holders()
    {
        await using var server = await StartServerAsync();
        var env = new Dictionary<string, string> { ["TESTLOCKS_BACKEND_URL"] = server.Url(RestartQuery) };
        var name = LockDir.UniqueName("restart");
        var factory = FactoryFor(server.Url(RestartQuery));
        using (factory.CreateLock(name).Acquire(HelperProcess.LineLimit, Token)) { } // leaves a pooled connection to go stale

        await using var holder = HelperProcess.StartHelper(env, "hold", name);
        await holder.WaitForLineAsync("HELD");
        await server.StopServerAsync();
        // The holder learns of the loss while the server is down: before anyone could take the lock again.
        await holder.WaitForLineAsync("LOST");
        Assert.Equal(3, await holder.WaitForExitAsync());
        Assert.Contains("LockLostException: Lock \"" + name + "\"", holder.StandardError, StringComparison.Ordinal);
        Assert.Contains("was lost while held", holder.StandardError, StringComparison.Ordinal);

        await server.StartServerAsync();
        await using var handle = await factory.CreateLock(name).AcquireAsync(HelperProcess.LineLimit, Token);
        Assert.False(handle.HandleLostToken.IsCancellationRequested);
    }

    [Fact]
    public async Task A_lock_held_in_this_process_signals_its_loss_and_its_release_throws_LockLostException()
    {
        await using var server = await StartServerAsync();
        var @lock = FactoryFor(server.Url(RestartQuery)).CreateLock(LockDir.UniqueName("lost"));
        var handle = await @lock.AcquireAsync(HelperProcess.LineLimit, Token);
        var lost = new TaskCompletionSource();
        using var watch = handle.HandleLostToken.Register(lost.SetResult);

        await server.StopServerAsync();
        await lost.Task.WaitAsync(HelperProcess.LineLimit, Token);
        await server.StartServerAsync();

        var error = await Assert.ThrowsAsync<LockLostException>(() => handle.DisposeAsync().AsTask());
        Assert.Equal(@lock.Name, error.LockName);
        Assert.True(handle.IsReleased);
        await using var again = await @lock.AcquireAsync(HelperProcess.LineLimit, Token); // the in-process part was released too
    }

    [Fact]
    public async Task A_lock_whose_connection_dropped_unnoticed_fails_its_release_with_LockLostException()
    {
        // Nobody watched HandleLostToken: the loss still surfaces when the test releases the lock.
        await using var server = await StartServerAsync();
        var @lock = FactoryFor(server.Url()).CreateLock(LockDir.UniqueName("unwatched"));
        var handle = @lock.Acquire(HelperProcess.LineLimit, Token);
        await server.StopServerAsync();
        await server.StartServerAsync();

        var error = Assert.Throws<LockLostException>(handle.Dispose);
        Assert.Contains(@lock.Location, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_fails_at_once_naming_the_backend_url_with_its_password_masked()
    {
        var (scheme, option) = Protocol;
        var url = $"{scheme}://tester:hunter2@127.0.0.1:{Command.FreePort()}/testlocks?{option}=1";
        var error = await FailsFastAsync(url);
        Assert.Contains($"{scheme}://tester:***@127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("cannot reach", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_accepts_connections_but_never_answers_fails_within_the_timeout_option()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        _ = Task.Run(async () => { while (true) accepted.Add(await silent.AcceptSocketAsync(Token)); }, Token);
        var (scheme, option) = Protocol;
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var error = await FailsFastAsync($"{scheme}://tester:hunter2@127.0.0.1:{port}/testlocks?{option}=1");
        Assert.Contains($"{option}=1s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        accepted.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Wrong_credentials_fail_with_a_message_that_says_so_and_hides_the_password()
    {
        var error = await FailsFastAsync(WrongPasswordUrl(SharedServer, "not-the-password"));
        Assert.Contains("refused the credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains(":***@127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_in_backend_url_is_refused_with_the_known_ones()
    {
        var (scheme, option) = Protocol;
        var error = Assert.Throws<TestLocksConfigurationException>(() => FactoryFor($"{scheme}://127.0.0.1:1/x?lock_timout=3").CreateLock("x").TryAcquire());
        Assert.Contains("'lock_timout'", error.Message, StringComparison.Ordinal);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    private static async Task<LockBackendException> FailsFastAsync(string url)
    {
        var @lock = FactoryFor(url).CreateLock(LockDir.UniqueName("down"));
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<LockBackendException>(() => @lock.AcquireAsync(Timeout.InfiniteTimeSpan, Token).AsTask().WaitAsync(HelperProcess.LineLimit, Token));
        Assert.True(clock.Elapsed < s_failFast, $"failing took {clock.Elapsed}");
        Assert.Throws<LockBackendException>(() => @lock.Acquire(Timeout.InfiniteTimeSpan, Token)); // the blocking form too
        return error;
    }
}

public sealed class PostgresServerFailures(SharedServers servers) : ServerFailureTests
{
    protected override ITestServer SharedServer => servers.Postgres;

    protected override async Task<ITestServer> StartServerAsync() => await PostgresServer.StartAsync();

    protected override (string, string) Protocol => ("postgresql", "connect_timeout");

    protected override string WrongPasswordUrl(ITestServer server, string password) =>
        $"postgresql://{PostgresServer.User}:{password}@127.0.0.1:{server.Port}/testlocks";
}

public sealed class RedisServerFailures(SharedServers servers) : ServerFailureTests
{
    protected override ITestServer SharedServer => servers.Redis;

    protected override async Task<ITestServer> StartServerAsync() => await RedisServer.StartAsync();

    protected override (string, string) Protocol => ("redis", "socket_timeout");

    protected override string RestartQuery => "?lock_timeout=3";

    protected override string WrongPasswordUrl(ITestServer server, string password) => $"redis://:{password}@127.0.0.1:{server.Port}";
}
