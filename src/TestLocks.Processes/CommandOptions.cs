using Microsoft.Extensions.Logging;

namespace TestLocks.Processes;

/// <summary>
/// What every way of running a command shares: its input, which exit codes count as success, a timeout and logging.
/// Use <see cref="ExecuteOptions"/> for local commands and <see cref="SshExecuteOptions"/> for remote ones.
/// </summary>
public abstract record CommandOptions
{
    /// <summary>Only this library's option types derive from this one.</summary>
    private protected CommandOptions() { }

    /// <summary>Text written to the command's standard input as UTF-8, then closed (oslo's <c>process_input</c> as a string).
    /// Set this or <see cref="StandardInputBytes"/>, not both. Without either, standard input is closed at once.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Bytes written to the command's standard input, then closed (oslo's <c>process_input</c> as bytes).</summary>
    public ReadOnlyMemory<byte>? StandardInputBytes { get; init; }

    /// <summary>Whether an exit code outside <see cref="AllowedExitCodes"/> throws <see cref="ProcessExecutionException"/>.
    /// Default true; false is oslo's <c>check_exit_code=False</c>.</summary>
    public bool CheckExitCode { get; init; } = true;

    /// <summary>The exit codes that count as success when <see cref="CheckExitCode"/> is true. Default <c>[0]</c>;
    /// oslo's <c>check_exit_code=2</c> is <c>[2]</c> and <c>check_exit_code=[0, 1]</c> is <c>[0, 1]</c>.</summary>
    public IReadOnlyCollection<int> AllowedExitCodes { get; init; } = [0];

    /// <summary>How long one attempt may run. When it is exceeded <see cref="ProcessTimeoutException"/> is thrown; a local
    /// command is killed with its whole process group, grandchildren included; a remote one is sent a signal (OpenSSH
    /// honours it for logins other than root) and its channel closed. Null (default) waits forever.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Where the command line, its result and retries are logged (masked). Null logs nothing.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The level of those log records (oslo's <c>loglevel</c>). Default <see cref="LogLevel.Debug"/>.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Debug;
}
