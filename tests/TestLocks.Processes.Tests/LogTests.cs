using Microsoft.Extensions.Logging;
using TestLocks.Processes.Tests.Support;

namespace TestLocks.Processes.Tests;

public sealed class LogTests
{
    [Fact]
    public async Task I_can_read_the_command_and_its_result_in_my_log_at_the_level_I_choose()
    {
        var log = new LogSink();

        await ProcessUtils.ExecuteAsync(["echo", "hi"], new ExecuteOptions { Logger = log, LogLevel = LogLevel.Information }, Ct);

        Assert.Equal(2, log.Records.Count);
        Assert.All(log.Records, r => Assert.Equal(LogLevel.Information, r.Level));
        Assert.Equal("Running cmd (subprocess): echo hi", log.Records[0].Message);
        Assert.Matches(@"^CMD ""echo hi"" returned: 0 in \d+\.\d{3}s$", log.Records[1].Message);
    }

    [Fact]
    public async Task By_default_failed_attempts_are_not_logged_in_detail()
    {
        var log = new LogSink();

        await Assert.ThrowsAsync<ProcessExecutionException>(() => ProcessUtils.ExecuteAsync(
            ["sh", "-c", "echo boom >&2; exit 1"], new ExecuteOptions { Logger = log, Attempts = 2, RetryDelay = NoRetryDelay }, Ct));

        Assert.DoesNotContain(log.Messages, m => m.Contains("stderr:", StringComparison.Ordinal));
        Assert.Contains("'sh -c echo boom >&2; exit 1' failed. Retrying.", log.Messages);
        Assert.Contains("'sh -c echo boom >&2; exit 1' failed. Not Retrying.", log.Messages);
    }

    [Fact]
    public async Task I_can_log_every_failed_attempt()
    {
        var log = new LogSink();

        await Assert.ThrowsAsync<ProcessExecutionException>(() => ProcessUtils.ExecuteAsync(
            ["sh", "-c", "echo boom >&2; exit 1"], new ExecuteOptions { Logger = log, Attempts = 3, RetryDelay = NoRetryDelay, LogErrors = LogErrors.All }, Ct));

        var details = log.Messages.Where(m => m.Contains("stderr: 'boom\\n'", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, details.Count);
        Assert.Contains("\ncommand: sh -c echo boom >&2; exit 1\nexit code: 1\nstdout: ''\n", details[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_log_only_the_final_failed_attempt()
    {
        var log = new LogSink();

        await Assert.ThrowsAsync<ProcessExecutionException>(() => ProcessUtils.ExecuteAsync(
            ["sh", "-c", "echo boom >&2; exit 1"], new ExecuteOptions { Logger = log, Attempts = 3, RetryDelay = NoRetryDelay, LogErrors = LogErrors.Final }, Ct));

        Assert.Single(log.Messages, m => m.Contains("stderr: 'boom\\n'", StringComparison.Ordinal));
    }
}
