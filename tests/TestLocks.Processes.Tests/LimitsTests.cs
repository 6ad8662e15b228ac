using System.Globalization;

namespace TestLocks.Processes.Tests;

public sealed class LimitsTests
{
    [Fact]
    public async Task A_command_that_exceeds_its_address_space_fails()
    {
        var options = new ExecuteOptions { Limits = new ProcessLimits { AddressSpace = 100_000_000 } };

        // dd allocates its 200 MiB buffer at start; within 100 MB of address space it cannot.
        var failure = await Assert.ThrowsAsync<ProcessExecutionException>(
            () => ProcessUtils.ExecuteAsync(["dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1"], options, Ct));

        Assert.Equal(1, failure.ExitCode);
        Assert.Contains("memory exhausted", failure.StandardError, StringComparison.Ordinal);
        Assert.StartsWith("prlimit --as=100000000 -- dd", failure.Command, StringComparison.Ordinal);

        var unlimited = await ProcessUtils.ExecuteAsync(["dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1"], cancellationToken: Ct);
        Assert.Equal(0, unlimited.ExitCode);
    }

    [Fact]
    public async Task A_command_that_exceeds_its_cpu_time_is_killed()
    {
        var options = new ExecuteOptions { Limits = new ProcessLimits { CpuTime = TimeSpan.FromSeconds(1) } };

        var failure = await Assert.ThrowsAsync<ProcessExecutionException>(
            () => ProcessUtils.ExecuteAsync(["sh", "-c", "while :; do :; done"], options, Ct));

        // Killed by the kernel: SIGXCPU (128 + 24) at the soft limit or SIGKILL (128 + 9) at the hard one.
        Assert.Contains(failure.ExitCode, new int?[] { 128 + 24, 128 + 9 });
    }

    [Fact]
    public async Task A_command_that_opens_more_files_than_allowed_fails()
    {
        var options = new ExecuteOptions { Limits = new ProcessLimits { NumberOfFiles = 10 } };
        string[] paste = ["paste", .. Enumerable.Repeat("/dev/null", 12)];

        var failure = await Assert.ThrowsAsync<ProcessExecutionException>(() => ProcessUtils.ExecuteAsync(paste, options, Ct));

        Assert.Contains("Too many open files", failure.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, (await ProcessUtils.ExecuteAsync(paste, cancellationToken: Ct)).ExitCode);
    }

    [Fact]
    public async Task A_command_that_writes_a_file_larger_than_allowed_is_stopped()
    {
        var options = new ExecuteOptions { Limits = new ProcessLimits { FileSize = 1_000_000 } };
        using var directory = new Support.TempDirectory();

        var failure = await Assert.ThrowsAsync<ProcessExecutionException>(() => ProcessUtils.ExecuteAsync(
            ["dd", "if=/dev/zero", $"of={directory.File("big")}", "bs=1M", "count=2"], options, Ct));

        Assert.Equal(128 + 25, failure.ExitCode); // SIGXFSZ
        Assert.Equal(1_000_000, new FileInfo(directory.File("big")).Length);
    }

    [Fact]
    public async Task All_ten_limits_reach_the_command()
    {
        var limits = new ProcessLimits
        {
            AddressSpace = 8L << 30,
            CoreFileSize = 0,
            CpuTime = TimeSpan.FromSeconds(60),
            DataSize = 4L << 30,
            FileSize = 1L << 30,
            MemoryLocked = 64 << 10,
            NumberOfFiles = 256,
            NumberOfProcesses = 4096,
            ResidentSetSize = 2L << 30,
            StackSize = 4 << 20,
        };

        var result = await ProcessUtils.ExecuteAsync(["cat", "/proc/self/limits"], new ExecuteOptions { Limits = limits }, Ct);

        var table = result.StandardOutput.Split('\n').Skip(1).Where(l => l.Length > 0)
            .ToDictionary(l => l[..26].Trim(), l => l[26..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        void Limit(string name, long expected)
        {
            var text = expected.ToString(CultureInfo.InvariantCulture);
            Assert.Equal([text, text], table[name][..2]); // soft and hard
        }
        Limit("Max address space", 8L << 30);
        Limit("Max core file size", 0);
        Limit("Max cpu time", 60);
        Limit("Max data size", 4L << 30);
        Limit("Max file size", 1L << 30);
        Limit("Max locked memory", 64 << 10);
        Limit("Max open files", 256);
        Limit("Max processes", 4096);
        Limit("Max resident set", 2L << 30);
        Limit("Max stack size", 4 << 20);
    }
}
