using TestLocks.Processes.Tests.Support;

namespace TestLocks.Processes.Tests;

public sealed class TimeoutAndCancellationTests
{
    // The command starts two grandchildren and writes their pids: a second sh in the background, and a sleep whose
    // parent subshell exits at once, so the sleep is re-parented away from the command's process tree (as a daemon
    // is). Only killing the process group reaches that one.
    private const string StartGrandchildren = "sh -c 'sleep 600' & echo $! > \"$0\"; (sleep 600 & echo $! > \"$1\")";

    [Fact]
    public async Task A_timeout_kills_the_command_and_its_sh_grandchild()
    {
        using var directory = new TempDirectory();
        var log = new LogSink();
        int? completed = null;
        var options = new ExecuteOptions
        {
            Timeout = TimeSpan.FromSeconds(2),
            Attempts = 3,
            Logger = log,
            OnCompletion = pid => completed = pid,
        };

        var timeout = await Assert.ThrowsAsync<ProcessTimeoutException>(
            () => ProcessUtils.ExecuteAsync(["sh", "-c", StartGrandchildren + "; wait", directory.File("sh.pid"), directory.File("orphan.pid")], options, Ct));

        Assert.IsAssignableFrom<ProcessExecutionException>(timeout);
        Assert.Null(timeout.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(2), timeout.Timeout);
        Assert.StartsWith("The command did not finish within its timeout of 2 s and was killed.", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("\nExit code: -\n", timeout.Message, StringComparison.Ordinal);
        Assert.NotNull(completed);
        Assert.Single(log.Messages, m => m.Contains("reached timeout", StringComparison.Ordinal)); // a timeout is not retried
        await AssertExitedAsync(directory.File("sh.pid"));
        await AssertExitedAsync(directory.File("orphan.pid"));
    }

    [Fact]
    public async Task I_can_cancel_a_running_command_and_its_whole_process_group_is_killed()
    {
        using var directory = new TempDirectory();
        var fifo = directory.File("started");
        await ProcessUtils.ExecuteAsync(["mkfifo", fifo], cancellationToken: Ct);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        int? commandPid = null;
        var options = new ExecuteOptions { OnExecute = pid => commandPid = pid };

        var run = ProcessUtils.ExecuteAsync(
            ["sh", "-c", StartGrandchildren + "; echo started > \"$2\"; wait", directory.File("sh.pid"), directory.File("orphan.pid"), fifo],
            options, cancellation.Token);
        Assert.Equal("started\n", await File.ReadAllTextAsync(fifo, Ct));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(Pids.WaitForExit(commandPid!.Value, TimeSpan.FromSeconds(10)), $"the command {commandPid} still runs");
        await AssertExitedAsync(directory.File("sh.pid"));
        await AssertExitedAsync(directory.File("orphan.pid"));
    }

    [Fact]
    public async Task A_command_is_not_started_when_I_have_already_cancelled()
    {
        var started = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProcessUtils.ExecuteAsync(
            ["true"], new ExecuteOptions { OnExecute = _ => started = true }, new CancellationToken(canceled: true)));

        Assert.False(started);
    }

    [Fact]
    public async Task A_timeout_keeps_what_the_command_wrote_before_it_was_killed()
    {
        var timeout = await Assert.ThrowsAsync<ProcessTimeoutException>(() => ProcessUtils.ExecuteAsync(
            ["sh", "-c", "echo before; echo password=hunter2 >&2; exec sleep 600"], new ExecuteOptions { Timeout = TimeSpan.FromSeconds(1) }, Ct));

        Assert.Equal("before\n", timeout.StandardOutput);
        Assert.Equal("password=***\n", timeout.StandardError);
    }

    private static async Task AssertExitedAsync(string pidFile)
    {
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile, Ct), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Pids.WaitForExit(pid, TimeSpan.FromSeconds(10)), $"process {pid} ({Path.GetFileName(pidFile)}) still runs");
    }
}
