using TestLocks.Processes.Tests.Support;

namespace TestLocks.Processes.Tests;

public sealed class RootHelperTests
{
    [Fact]
    public async Task As_root_the_root_helper_is_not_applied()
    {
        Assert.True(Environment.IsPrivilegedProcess, "these tests run as root, as CI does");
        var options = new ExecuteOptions { RunAsRoot = true, RootHelper = "/nonexistent/root-helper --would-fail" };

        var result = await ProcessUtils.ExecuteAsync(["id", "-u"], options, Ct);

        Assert.Equal("0\n", result.StandardOutput);
    }

    [Fact]
    public async Task As_another_user_running_as_root_without_a_root_helper_is_a_clear_error()
    {
        var result = await NonRootProbe.RunAsRootAsync("", ["id", "-u"], Ct);

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("ArgumentException: ExecuteOptions.RunAsRoot is true but no RootHelper is set, and this process is not root", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Set RootHelper, for example \"sudo -n\"", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task As_another_user_the_root_helper_prefixes_the_command()
    {
        // Any prefix command shows that the helper ran first; `env VAR=value` is one that every machine has.
        var result = await NonRootProbe.RunAsRootAsync("env 'ROOT_HELPER=applied here'", ["sh", "-c", "echo \"$ROOT_HELPER as $(id -u)\""], Ct);

        Assert.Equal("applied here as 65534\n", result.StandardOutput);
    }

    [Fact]
    public async Task As_another_user_a_root_helper_with_an_unclosed_quote_is_a_clear_error()
    {
        var result = await NonRootProbe.RunAsRootAsync("sudo 'unclosed", ["true"], Ct);

        Assert.StartsWith("ArgumentException: The root helper \"sudo 'unclosed\" has an unclosed ' quote. Close it", result.StandardOutput, StringComparison.Ordinal);
    }
}
