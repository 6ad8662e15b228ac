using TestLocks.Processes.Tests.Support;

namespace TestLocks.Processes.Tests;

public sealed class BadInputTests
{
    [Fact]
    public async Task An_empty_command_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ProcessUtils.ExecuteAsync([], cancellationToken: Ct));

        Assert.Equal("command", error.ParamName);
        Assert.StartsWith("The command is empty. Pass the program and its arguments, for example [\"ls\", \"-l\"].", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task A_blank_program_name_is_a_clear_error(string program)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ProcessUtils.ExecuteAsync([program, "x"], cancellationToken: Ct));

        Assert.Contains("Name the program to run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_executable_is_a_clear_error_that_names_it()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => ProcessUtils.ExecuteAsync(["no-such-program-anywhere", "--version"], cancellationToken: Ct));

        Assert.Equal("no-such-program-anywhere", error.FileName);
        Assert.StartsWith("The program 'no-such-program-anywhere' was not found on the PATH (", error.Message, StringComparison.Ordinal);
        Assert.Contains("Install it, add its directory to PATH, or give its full path.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_executable_path_and_a_file_that_is_not_executable_are_clear_errors()
    {
        using var directory = new TempDirectory();
        var script = directory.File("script.sh");
        await File.WriteAllTextAsync(script, "echo hi\n", Ct);

        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => ProcessUtils.ExecuteAsync([directory.File("missing")], cancellationToken: Ct));
        var notExecutable = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => ProcessUtils.ExecuteAsync([script], cancellationToken: Ct));

        Assert.Contains($"was not found at '{directory.File("missing")}'", missing.Message, StringComparison.Ordinal);
        Assert.Equal($"The program '{script}' exists but is not executable. Make it executable (chmod +x) or run it through an interpreter.", notExecutable.Message);
    }

    [Fact]
    public async Task A_missing_working_directory_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(
            () => ProcessUtils.ExecuteAsync(["ls"], new ExecuteOptions { WorkingDirectory = "/no/such/directory" }, Ct));

        Assert.Equal("ExecuteOptions.WorkingDirectory '/no/such/directory' does not exist. Create it or point WorkingDirectory at an existing directory.", error.Message);
    }

    [Fact]
    public void An_invalid_limit_is_a_clear_error()
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessLimits { NumberOfFiles = -1 });
        var fraction = Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessLimits { CpuTime = TimeSpan.FromMilliseconds(1500) });
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessLimits { CpuTime = TimeSpan.Zero });

        Assert.Equal("NumberOfFiles", negative.ParamName);
        Assert.StartsWith("ProcessLimits.NumberOfFiles must be 0 or more (it was -1). Leave it null to keep the inherited limit.", negative.Message, StringComparison.Ordinal);
        Assert.StartsWith("ProcessLimits.CpuTime must be a whole number of seconds, at least 1 s (it was 00:00:01.5000000)", fraction.Message, StringComparison.Ordinal);
        Assert.Equal("CpuTime", zero.ParamName);
    }

    [Fact]
    public async Task Contradicting_or_out_of_range_options_are_clear_errors()
    {
        async Task<string> Error(ExecuteOptions options) =>
            (await Assert.ThrowsAnyAsync<ArgumentException>(() => ProcessUtils.ExecuteAsync(["true"], options, Ct))).Message;

        Assert.StartsWith("ExecuteOptions.Attempts is 0; it must be 1 or more", await Error(new() { Attempts = 0 }), StringComparison.Ordinal);
        Assert.StartsWith("Both ExecuteOptions.StandardInput and ExecuteOptions.StandardInputBytes are set. Set one of them.",
            await Error(new() { StandardInput = "a", StandardInputBytes = new byte[] { 1 } }), StringComparison.Ordinal);
        Assert.StartsWith("ExecuteOptions.AllowedExitCodes is empty", await Error(new() { AllowedExitCodes = [] }), StringComparison.Ordinal);
        Assert.StartsWith("ExecuteOptions.Timeout is -00:00:01; it must be a positive time span", await Error(new() { Timeout = TimeSpan.FromSeconds(-1) }), StringComparison.Ordinal);
        Assert.StartsWith("ExecuteOptions.LogErrors must be", await Error(new() { LogErrors = (LogErrors)7 }), StringComparison.Ordinal);
    }
}
