using TestLocks.Processes.Tests.Support;

namespace TestLocks.Processes.Tests;

public sealed class ExecuteTests
{
    [Fact]
    public async Task I_can_run_a_command_and_read_its_output()
    {
        var result = await ProcessUtils.ExecuteAsync(["sh", "-c", "echo out; echo err >&2"], cancellationToken: Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        var (stdout, stderr) = result;
        Assert.Equal(("out\n", "err\n"), (stdout, stderr));
    }

    [Fact]
    public void I_can_run_a_command_synchronously()
    {
        var (stdout, _) = ProcessUtils.Execute(["echo", "hello"]);

        Assert.Equal("hello\n", stdout);
    }

    [Fact]
    public async Task I_can_pass_arguments_with_spaces_quotes_and_backslashes_unchanged()
    {
        string[] arguments = ["two words", "", "\"quoted\"", "back\\slash\\", "it's", "{\"json\": [1, 2]}", "tab\there", "$HOME"];

        var result = await ProcessUtils.ExecuteAsync(["printf", "[%s]\\n", .. arguments], cancellationToken: Ct);

        Assert.Equal(string.Concat(arguments.Select(a => $"[{a}]\n")), result.StandardOutput);
    }

    [Fact]
    public async Task I_can_set_the_working_directory_and_environment_variables()
    {
        using var directory = new TempDirectory();
        var options = new ExecuteOptions
        {
            WorkingDirectory = directory.Path,
            Environment = new Dictionary<string, string?> { ["MY_VAR"] = "my value", ["HOME"] = null },
        };

        var result = await ProcessUtils.ExecuteAsync(["sh", "-c", "pwd; echo \"$MY_VAR\"; echo \"${HOME-unset}\"; echo \"$PATH\" | grep -c bin"], options, Ct);

        Assert.Equal($"{directory.Path}\nmy value\nunset\n1\n", result.StandardOutput);
    }

    [Fact]
    public async Task I_can_run_a_shell_script_with_positional_parameters()
    {
        var options = new ExecuteOptions { Shell = true };

        var result = await ProcessUtils.ExecuteAsync(["echo \"$1-$2\" | tr a-z A-Z", "first", "second"], options, Ct);

        Assert.Equal("FIRST-SECOND\n", result.StandardOutput);
    }

    [Fact]
    public async Task I_can_watch_each_attempt_start_and_end_with_the_process_id()
    {
        var started = new List<int>();
        var ended = new List<int>();
        var options = new ExecuteOptions { OnExecute = started.Add, OnCompletion = ended.Add };

        // The shell prints its pid, then its process group and session (fields 5 and 6 of /proc/PID/stat).
        var result = await ProcessUtils.ExecuteAsync(["sh", "-c", "echo $$; cut -d' ' -f5,6 /proc/$$/stat"], options, Ct);

        var pid = Assert.Single(started);
        Assert.Equal([pid], ended);
        Assert.Equal($"{pid}\n{pid} {pid}\n", result.StandardOutput); // the command leads its own session and process group
    }

    [Fact]
    public async Task I_am_warned_by_the_watchdog_when_a_command_runs_too_long()
    {
        using var directory = new TempDirectory();
        var fifo = directory.File("release");
        await ProcessUtils.ExecuteAsync(["mkfifo", fifo], cancellationToken: Ct);
        var log = new LogSink();
        var options = new ExecuteOptions { Logger = log, WatchdogAfter = TimeSpan.FromMilliseconds(100) };

        var run = ProcessUtils.ExecuteAsync(["sh", "-c", "read line < \"$0\"; echo \"$line\"", fifo], options, Ct);
        await log.WhenLogged(m => m.Contains("not completed after", StringComparison.Ordinal)).WaitAsync(Ct);
        await File.WriteAllTextAsync(fifo, "released\n", Ct);

        Assert.Equal("released\n", (await run).StandardOutput);
        Assert.Contains(log.Records, r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning && r.Message.StartsWith($"CMD \"sh -c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_that_ends_in_time_is_not_reported_by_the_watchdog()
    {
        var log = new LogSink();
        var options = new ExecuteOptions { Logger = log, WatchdogAfter = TimeSpan.FromHours(1) };

        await ProcessUtils.ExecuteAsync(["true"], options, Ct);

        Assert.DoesNotContain(log.Records, r => r.Message.Contains("not completed after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_gets_default_signal_handling_so_a_closed_pipe_ends_it_quietly()
    {
        // .NET ignores SIGPIPE in its own process; like oslo, the command must not inherit that. Other signals are not
        // ours: a shell that ignores SIGINT (nohup, `cmd &`, some CI agents) passes that on to every command, as Python's does.
        var result = await ProcessUtils.ExecuteAsync(["sh", "-c", "yes | head -1; grep SigIgn /proc/self/status"], cancellationToken: Ct);

        var lines = result.StandardOutput.Split('\n');
        Assert.Equal("y", lines[0]);
        Assert.StartsWith("SigIgn:\t", lines[1], StringComparison.Ordinal);
        var ignored = ulong.Parse(lines[1]["SigIgn:\t".Length..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        const ulong SigPipe = 1UL << (13 - 1);
        Assert.Equal(0UL, ignored & SigPipe);
        Assert.Equal("", result.StandardError); // no "yes: standard output: Broken pipe"
    }

    [Fact]
    public void I_can_get_the_default_worker_count()
    {
        Assert.Equal(Environment.ProcessorCount, ProcessUtils.GetWorkerCount());
        Assert.True(ProcessUtils.GetWorkerCount() >= 1);
    }
}
