namespace TestLocks.Processes.Tests;

public sealed class ExitCodeTests
{
    [Fact]
    public async Task I_get_a_ProcessExecutionException_in_oslo_layout_when_the_exit_code_is_not_allowed()
    {
        var failure = await Assert.ThrowsAsync<ProcessExecutionException>(
            () => ProcessUtils.ExecuteAsync(["sh", "-c", "echo 'it went wrong'; echo 'bad\tnews' >&2; exit 3"], cancellationToken: Ct));

        Assert.IsAssignableFrom<TestLocksException>(failure);
        Assert.Equal(3, failure.ExitCode);
        Assert.Equal("it went wrong\n", failure.StandardOutput);
        Assert.Equal("bad\tnews\n", failure.StandardError);
        Assert.Equal("sh -c echo 'it went wrong'; echo 'bad\tnews' >&2; exit 3", failure.Command);
        var lines = failure.Message.Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("Unexpected error while running command. Exit code 3 is not one of the allowed exit codes (0).", lines[0], StringComparison.Ordinal);
        Assert.Contains("ExecuteOptions.AllowedExitCodes", lines[0], StringComparison.Ordinal);
        Assert.Contains("CheckExitCode = false", lines[0], StringComparison.Ordinal);
        Assert.Equal("Command: " + failure.Command, lines[1]);
        Assert.Equal("Exit code: 3", lines[2]);
        Assert.Equal(@"Stdout: 'it went wrong\n'", lines[3]);
        Assert.Equal(@"Stderr: 'bad\tnews\n'", lines[4]);
    }

    [Fact]
    public async Task I_can_allow_one_other_exit_code()
    {
        var result = await ProcessUtils.ExecuteAsync(["sh", "-c", "exit 2"], new ExecuteOptions { AllowedExitCodes = [2] }, Ct);
        Assert.Equal(2, result.ExitCode);

        var failure = await Assert.ThrowsAsync<ProcessExecutionException>(
            () => ProcessUtils.ExecuteAsync(["true"], new ExecuteOptions { AllowedExitCodes = [2] }, Ct));
        Assert.Equal(0, failure.ExitCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task I_can_allow_a_set_of_exit_codes(int code)
    {
        var result = await ProcessUtils.ExecuteAsync(["sh", "-c", $"exit {code}"], new ExecuteOptions { AllowedExitCodes = [0, 1] }, Ct);

        Assert.Equal(code, result.ExitCode);
    }

    [Fact]
    public async Task I_can_turn_the_exit_code_check_off()
    {
        var result = await ProcessUtils.ExecuteAsync(["sh", "-c", "echo partial; exit 42"], new ExecuteOptions { CheckExitCode = false }, Ct);

        Assert.Equal(42, result.ExitCode);
        Assert.Equal("partial\n", result.StandardOutput);
    }
}
