using System.Diagnostics;
using TestLocks.Processes.Tests.Support;

namespace TestLocks.Processes.Tests;

public sealed class RetryTests
{
    [Fact]
    public async Task I_can_retry_a_failing_command_and_it_runs_exactly_as_many_times_as_I_asked()
    {
        using var directory = new TempDirectory();
        var attempts = directory.File("attempts");
        var started = 0;
        var options = new ExecuteOptions { Attempts = 3, RetryDelay = NoRetryDelay, OnExecute = _ => started++ };

        var failure = await Assert.ThrowsAsync<ProcessExecutionException>(
            () => ProcessUtils.ExecuteAsync(["sh", "-c", "echo attempt >> \"$0\"; exit 1", attempts], options, Ct));

        Assert.Equal(1, failure.ExitCode);
        Assert.Equal(3, started);
        Assert.Equal(3, (await File.ReadAllLinesAsync(attempts, Ct)).Length);
    }

    [Fact]
    public async Task I_can_retry_until_the_command_succeeds()
    {
        using var directory = new TempDirectory();
        var attempts = directory.File("attempts");
        var options = new ExecuteOptions { Attempts = 5, RetryDelay = NoRetryDelay };

        // Fails twice, then succeeds on the third run.
        var result = await ProcessUtils.ExecuteAsync(
            ["sh", "-c", "echo x >> \"$0\"; n=$(wc -l < \"$0\"); echo \"run $n\"; [ \"$n\" -ge 3 ]", attempts], options, Ct);

        Assert.Equal("run 3\n", result.StandardOutput);
        Assert.Equal(3, (await File.ReadAllLinesAsync(attempts, Ct)).Length);
    }

    [Fact]
    public async Task I_can_choose_the_delay_before_each_retry()
    {
        var asked = new List<int>();
        var options = new ExecuteOptions { Attempts = 3, RetryDelay = attempt => { asked.Add(attempt); return TimeSpan.FromMilliseconds(1); } };

        await Assert.ThrowsAsync<ProcessExecutionException>(() => ProcessUtils.ExecuteAsync(["false"], options, Ct));

        Assert.Equal([1, 2], asked);
    }

    [Fact]
    public async Task By_default_a_retry_waits_at_least_a_fifth_of_a_second_like_oslo()
    {
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ProcessExecutionException>(() => ProcessUtils.ExecuteAsync(["false"], new ExecuteOptions { Attempts = 2 }, Ct));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(200), $"two attempts took {watch.Elapsed}");
    }

    [Fact]
    public async Task I_can_cancel_the_wait_between_attempts()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var options = new ExecuteOptions
        {
            Attempts = 2,
            RetryDelay = _ => { cancellation.Cancel(); return TimeSpan.FromHours(1); },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProcessUtils.ExecuteAsync(["false"], options, cancellation.Token));
    }
}
