using System.Diagnostics;
using StackExchange.Redis;
using TestLocks.Diagnostics.Tests.Infrastructure;

namespace TestLocks.Diagnostics.Tests;

/// <summary>
/// The installed <c>testlocks run</c> holding a Redis lock whose connection is then killed (CLIENT KILL, as an operator
/// or a failover does): the command must be stopped, everything it started with it, and testlocks must exit with its
/// own code, 69, never with an unhandled LockLostException.
/// </summary>
public sealed class RunLostLockTests(InstalledTool tool)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lock_lost_while_the_command_runs_stops_its_whole_process_group_and_run_exits_with_69()
    {
        await using var redis = await RedisServer.StartAsync();
        using var dir = new LockDir();
        var env = new Dictionary<string, string>(dir.Environment()) { ["TESTLOCKS_BACKEND_URL"] = redis.Url() };
        var marker = Path.Combine(dir.Path, "terminated");
        // A shell that starts a grandchild (in its process group) and cleans up on SIGTERM.
        using var run = Process.Start(tool.Start(env, "run", "--lock", "db", "--",
            "sh", "-c", $"sleep 1000 & echo \"READY $!\"; trap 'echo TERM > \"{marker}\"; exit 143' TERM; wait"))!;
        using var cleanup = new Leftovers(run);
        var error = run.StandardError.ReadToEndAsync(Token);
        var ready = await run.StandardOutput.ReadLineAsync(Token);
        Assert.StartsWith("READY ", ready);
        var grandchild = int.Parse(ready!.Split(' ')[1]);

        await KillConnectionsAsync(redis, run.Id);

        using var limit = new CancellationTokenSource(HelperProcess.LineLimit);
        await run.WaitForExitAsync(limit.Token);
        var stderr = await error;
        Assert.True(run.ExitCode == 69, $"exit {run.ExitCode}:\n{stderr}");
        Assert.Equal("TERM\n", File.ReadAllText(marker)); // SIGTERM first: the command could clean up
        Assert.Contains("lock \"db\" was lost while the command ran; stopping it: SIGTERM to its process group", stderr);
        Assert.Contains("exit 69: a lock was lost while the command ran (the command's own exit status was 143)", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr);
        await AssertEndedAsync(grandchild);
    }

    [Fact]
    public async Task A_command_that_ignores_SIGTERM_after_its_lock_is_lost_is_killed_after_the_grace_period()
    {
        await using var redis = await RedisServer.StartAsync();
        using var dir = new LockDir();
        var env = new Dictionary<string, string>(dir.Environment()) { ["TESTLOCKS_BACKEND_URL"] = redis.Url() };
        using var run = Process.Start(tool.Start(env, "run", "--lock", "db", "--",
            "sh", "-c", "trap '' TERM; echo READY; while :; do sleep 0.05; done"))!;
        using var cleanup = new Leftovers(run);
        var error = run.StandardError.ReadToEndAsync(Token);
        Assert.Equal("READY", await run.StandardOutput.ReadLineAsync(Token));

        var cut = Stopwatch.StartNew();
        await KillConnectionsAsync(redis, run.Id);

        using var limit = new CancellationTokenSource(HelperProcess.LineLimit);
        await run.WaitForExitAsync(limit.Token);
        var stderr = await error;
        Assert.True(run.ExitCode == 69, $"exit {run.ExitCode}:\n{stderr}");
        Assert.Contains("SIGKILL in 10 s if it has not ended", stderr);
        Assert.Contains("the command did not end 10 s after SIGTERM: SIGKILL to its process group", stderr);
        Assert.Contains("(the command's own exit status was 137)", stderr);
        Assert.True(cut.Elapsed >= TimeSpan.FromSeconds(10), $"killed {cut.Elapsed} after the loss, before its grace period");
    }

    [Fact]
    public async Task Run_passes_the_exit_code_through_when_started_with_SIGCHLD_ignored()
    {
        // The command leads a process group of its own, started and waited for without .NET's Process, so the
        // exit status must not be lost to a SIGCHLD ignored by whoever started testlocks.
        using var dir = new LockDir();
        var (exit, _, error) = await tool.RunAsync(dir.Environment(), "run", "--",
            "env", "--ignore-signal=CHLD", tool.Command, "run", "--lock", "db", "--", "sh", "-c", "exit 7");

        Assert.True(exit == 7, $"exit {exit}:\n{error}");
    }

    /// <summary>Kills every Redis connection of process <paramref name="pid"/> (TestLocks names them testlocks-pidN@HOST).</summary>
    private static async Task KillConnectionsAsync(RedisServer redis, int pid)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},password={RedisServer.Password},allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var clients = (await server.ClientListAsync()).Where(c => c.Name?.StartsWith($"testlocks-pid{pid}@", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(clients);
        foreach (var client in clients) await server.ClientKillAsync(client.Id);
    }

    /// <summary>Waits until process <paramref name="pid"/> is gone or a zombie (no event tells that about a process
    /// that is not our child, so this polls /proc).</summary>
    private static async Task AssertEndedAsync(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (File.Exists($"/proc/{pid}/stat"))
        {
            string stat;
            try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
            catch (IOException) { return; }
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) return;
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(5), $"process {pid}, started by the command, still runs after the command was stopped");
            await Task.Delay(20, Token);
        }
    }

    /// <summary>Kills what a failed test leaves running (testlocks and its command, which runs on while a lost lock is
    /// not acted on).</summary>
    private sealed class Leftovers(Process run) : IDisposable
    {
        public void Dispose()
        {
            try { if (!run.HasExited) run.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
        }
    }
}
