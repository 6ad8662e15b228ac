namespace TestLocks.Processes.Tests;

public sealed class TryCmdTests
{
    [Fact]
    public async Task TryCmd_returns_the_output_of_a_command_that_succeeds()
    {
        var (stdout, stderr) = await ProcessUtils.TryCmdAsync(["sh", "-c", "echo out; echo warning >&2"], cancellationToken: Ct);

        Assert.Equal(("out\n", "warning\n"), (stdout, stderr));
    }

    [Fact]
    public async Task TryCmd_can_discard_the_warnings_of_a_command_that_succeeds()
    {
        var (stdout, stderr) = await ProcessUtils.TryCmdAsync(["sh", "-c", "echo out; echo warning >&2"], discardWarnings: true, cancellationToken: Ct);

        Assert.Equal(("out\n", ""), (stdout, stderr));
    }

    [Fact]
    public void TryCmd_never_throws_for_a_failing_command_and_returns_the_failure_as_stderr()
    {
        var (stdout, stderr) = ProcessUtils.TryCmd(["ls", "/nonexistent_directory"], discardWarnings: true);

        Assert.Equal("", stdout);
        Assert.StartsWith("Unexpected error while running command.", stderr, StringComparison.Ordinal);
        Assert.Contains("\nCommand: ls /nonexistent_directory\nExit code: 2\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryCmd_reports_a_timeout_as_a_failure()
    {
        var (stdout, stderr) = await ProcessUtils.TryCmdAsync(["sleep", "600"], new ExecuteOptions { Timeout = TimeSpan.FromMilliseconds(300) }, cancellationToken: Ct);

        Assert.Equal("", stdout);
        Assert.StartsWith("The command did not finish within its timeout of 0.3 s and was killed.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryCmd_still_rejects_bad_input()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ProcessUtils.TryCmdAsync([], cancellationToken: Ct));
    }
}
