using Renci.SshNet;
using TestLocks.Processes.Tests.Support;

namespace TestLocks.Processes.Tests;

public sealed class SshExecuteTests(SshServer server) : IClassFixture<SshServer>
{
    private readonly SshClient _ssh = server.Client;

    [Fact]
    public async Task I_can_run_a_command_over_ssh_and_read_its_output()
    {
        var log = new LogSink();

        var result = await ProcessUtils.SshExecuteAsync(_ssh, "echo out; echo err >&2; id -un", new SshExecuteOptions { Logger = log }, Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"out\n{server.User}\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.Equal(["Running cmd (SSH): echo out; echo err >&2; id -un", "Result was 0"], log.Messages);
    }

    [Fact]
    public void I_can_run_a_command_over_ssh_synchronously()
    {
        var (stdout, _) = ProcessUtils.SshExecute(_ssh, "echo hello");

        Assert.Equal("hello\n", stdout);
    }

    [Fact]
    public async Task A_failing_remote_command_throws_with_its_secrets_masked()
    {
        var failure = await Assert.ThrowsAsync<ProcessExecutionException>(() => ProcessUtils.SshExecuteAsync(
            _ssh, "echo password=hunter2 && echo token=hunter2 >&2 && exit 4", new SshExecuteOptions { SanitizeStandardOutput = false }, Ct));

        Assert.Equal(4, failure.ExitCode);
        Assert.Equal("echo password=*** && echo token=*** >&2 && exit 4", failure.Command);
        Assert.Equal("password=***\n", failure.StandardOutput); // masked even with SanitizeStandardOutput = false
        Assert.Equal("token=***\n", failure.StandardError);
        Assert.DoesNotContain("hunter2", failure.Message, StringComparison.Ordinal);
        Assert.Contains("SshExecuteOptions.AllowedExitCodes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_turn_the_remote_exit_code_check_off_or_allow_other_codes()
    {
        var unchecked_ = await ProcessUtils.SshExecuteAsync(_ssh, "exit 3", new SshExecuteOptions { CheckExitCode = false }, Ct);
        var allowed = await ProcessUtils.SshExecuteAsync(_ssh, "exit 5", new SshExecuteOptions { AllowedExitCodes = [0, 5] }, Ct);

        Assert.Equal(3, unchecked_.ExitCode);
        Assert.Equal(5, allowed.ExitCode);
    }

    [Fact]
    public async Task Remote_stdout_is_sanitized_unless_I_turn_it_off()
    {
        const string command = "echo '{\"password\": \"hunter2\"}'; echo secret=hunter2 >&2";

        var sanitized = await ProcessUtils.SshExecuteAsync(_ssh, command, cancellationToken: Ct);
        var raw = await ProcessUtils.SshExecuteAsync(_ssh, command, new SshExecuteOptions { SanitizeStandardOutput = false }, Ct);

        Assert.Equal("{\"password\": \"***\"}\n", sanitized.StandardOutput);
        Assert.Equal("{\"password\": \"hunter2\"}\n", raw.StandardOutput);
        Assert.Equal("secret=***\n", raw.StandardError); // stderr is always masked
    }

    [Fact]
    public async Task I_can_send_text_and_binary_input_to_a_remote_command()
    {
        var text = await ProcessUtils.SshExecuteAsync(_ssh, "tr a-z A-Z", new SshExecuteOptions { StandardInput = "héllo\n" }, Ct);
        var binary = await ProcessUtils.SshExecuteAsync(_ssh, "cat", new SshExecuteOptions { StandardInputBytes = AllBytes, SanitizeStandardOutput = false }, Ct);

        Assert.Equal("HéLLO\n", text.StandardOutput);
        Assert.Equal(AllBytes, binary.StandardOutputBytes.ToArray());
    }

    [Fact]
    public async Task Remote_binary_output_keeps_every_byte_even_when_sanitized()
    {
        using var directory = new TempDirectory();
        var file = directory.File("all-bytes");
        await File.WriteAllBytesAsync(file, [.. AllBytes, .. "password=hunter2\n"u8.ToArray()], Ct);

        var result = await ProcessUtils.SshExecuteAsync(_ssh, $"cat {file}", cancellationToken: Ct);

        Assert.Equal([.. AllBytes, .. "password=***\n"u8.ToArray()], result.StandardOutputBytes.ToArray());
    }

    [Fact]
    public async Task A_remote_command_that_runs_too_long_times_out()
    {
        var timeout = await Assert.ThrowsAsync<ProcessTimeoutException>(() => ProcessUtils.SshExecuteAsync(
            _ssh, "echo started; exec sleep 5", new SshExecuteOptions { Timeout = TimeSpan.FromSeconds(1) }, Ct));

        Assert.Null(timeout.ExitCode);
        Assert.Equal("echo started; exec sleep 5", timeout.Command);
        Assert.StartsWith("The command did not finish within its timeout of 1 s and was killed.", timeout.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await ProcessUtils.SshExecuteAsync(_ssh, "true", cancellationToken: Ct)).ExitCode); // the connection still works
    }

    [Fact]
    public async Task Bad_ssh_input_is_a_clear_error()
    {
        using var disconnected = server.NewClient();

        var empty = await Assert.ThrowsAsync<ArgumentException>(() => ProcessUtils.SshExecuteAsync(_ssh, " ", cancellationToken: Ct));
        var notConnected = await Assert.ThrowsAsync<InvalidOperationException>(() => ProcessUtils.SshExecuteAsync(disconnected, "true", cancellationToken: Ct));

        Assert.StartsWith("The remote command is empty.", empty.Message, StringComparison.Ordinal);
        Assert.Equal($"The SSH client for {server.User}@{SshServer.Host}:{server.Port} is not connected. Call Connect() before SshExecuteAsync.", notConnected.Message);
    }
}
