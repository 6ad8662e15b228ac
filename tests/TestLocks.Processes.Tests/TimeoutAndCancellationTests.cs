using TestLocks.Processes.Tests.Support;

namespace TestLocks.Processes.Tests;

public sealed class TimeoutAndCancellationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The command starts a grandchild (a second sh running sleep) in the background, writes its pid, then waits for it.
    private const string ShWithGrandchild = "sh -c 'sleep 600' & echo $! > \"$0\"; echo started; wait";

    [Fact]
    public async Task A_timeout_kills_the_command_and_its_sh_grandchild()
    {
        using var directory = new TempDirectory();
        var grandchildPid = directory.File("grandchild.pid");
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
            () => ProcessUtils.ExecuteAsync(["sh", "-c", ShWithGrandchild, grandchildPid], options, Ct));

        Assert.IsAssignableFrom<ProcessExecutionException>(timeout);
        Assert.Null(timeout.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(2), timeout.Timeout);
        Assert.StartsWith("The command did not finish within its timeout of 2 s and was killed.", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("\nExit code: -\n", timeout.Message, StringComparison.Ordinal);
        Assert.NotNull(completed);
        Assert.Single(log.Messages, m => m.Contains("reached timeout", StringComparison.Ordinal)); // a timeout is not retried
        var grandchild = int.Parse(await File.ReadAllTextAsync(grandchildPid, Ct), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Pids.WaitForExit(grandchild, TimeSpan.FromSeconds(10)), $"the grandchild {grandchild} still runs");
    }

    [Fact]
    public async Task I_can_cancel_a_running_command_and_its_whole_process_group_is_killed()
    {
        using var directory = new TempDirectory();
        var grandchildPid = directory.File("grandchild.pid");
        var fifo = directory.File("started");
        await ProcessUtils.ExecuteAsync(["mkfifo", fifo], cancellationToken: Ct);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        int? commandPid = null;
        var options = new ExecuteOptions { OnExecute = pid => commandPid = pid };

        var run = ProcessUtils.ExecuteAsync(["sh", "-c", "sh -c 'sleep 600' & echo $! > \"$0\"; echo started > \"$1\"; wait", grandchildPid, fifo], options, cancellation.Token);
        Assert.Equal("started\n", await File.ReadAllTextAsync(fifo, Ct)); // the grandchild exists now
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var grandchild = int.Parse(await File.ReadAllTextAsync(grandchildPid, Ct), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Pids.WaitForExit(grandchild, TimeSpan.FromSeconds(10)), $"the grandchild {grandchild} still runs");
        Assert.True(Pids.WaitForExit(commandPid!.Value, TimeSpan.FromSeconds(10)), $"the command {commandPid} still runs");
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
}
