using Renci.SshNet;
using TestLocks.Processes.Execution;
using TestLocks.Processes.Masking;
using TestLocks.Processes.Ssh;

namespace TestLocks.Processes;

/// <summary>
/// oslo.concurrency's <c>processutils</c> for .NET: run a command with retries, exit-code checks, a timeout that kills
/// its whole process group, real resource limits and masked logging (<see cref="ExecuteAsync"/>); run one without
/// exceptions (<see cref="TryCmdAsync"/>); run one over SSH (<see cref="SshExecuteAsync"/>).
/// </summary>
/// <example><code>
/// var (stdout, _) = await ProcessUtils.ExecuteAsync(["ls", "-l", "/tmp"]);
/// var result = await ProcessUtils.ExecuteAsync(["pg_isready"], new ExecuteOptions { Attempts = 5, AllowedExitCodes = [0, 2] });
/// </code></example>
public static class ProcessUtils
{
    /// <summary>
    /// Runs a command and returns its output once it has exited (oslo's <c>execute()</c>).
    /// </summary>
    /// <param name="command">The program and its arguments, for example <c>["ls", "-l"]</c>; with
    /// <see cref="ExecuteOptions.Shell"/>, a shell script and its positional parameters.</param>
    /// <param name="options">How to run it; null uses oslo's defaults.</param>
    /// <param name="cancellationToken">Cancels the run: the command's process group is killed and
    /// <see cref="OperationCanceledException"/> is thrown.</param>
    /// <returns>The exit code and the output, as text and as bytes.</returns>
    /// <exception cref="ProcessExecutionException">The last attempt exited with a code that is not allowed.</exception>
    /// <exception cref="ProcessTimeoutException">An attempt ran longer than <see cref="CommandOptions.Timeout"/>.</exception>
    /// <exception cref="ArgumentException">The command is empty or the options contradict each other.</exception>
    /// <exception cref="FileNotFoundException">The program, or <c>prlimit</c>/<c>setsid</c>, is not installed.</exception>
    /// <exception cref="DirectoryNotFoundException">The working directory does not exist.</exception>
    public static Task<ProcessResult> ExecuteAsync(IReadOnlyList<string> command, ExecuteOptions? options = null, CancellationToken cancellationToken = default) =>
        Executor.ExecuteAsync(command, options ?? new ExecuteOptions(), cancellationToken);

    /// <summary>Runs a command and blocks until it has exited; see <see cref="ExecuteAsync"/>.</summary>
    /// <param name="command">The program and its arguments.</param>
    /// <param name="options">How to run it; null uses oslo's defaults.</param>
    /// <returns>The exit code and the output.</returns>
    public static ProcessResult Execute(IReadOnlyList<string> command, ExecuteOptions? options = null) =>
        ExecuteAsync(command, options).GetAwaiter().GetResult();

    /// <summary>
    /// Runs a command without throwing for its failure (oslo's <c>trycmd()</c>): returns its stdout and stderr, or,
    /// when it failed or timed out, an empty stdout and the failure's message as stderr. A non-empty stderr therefore
    /// means failure, unless the command writes warnings there: <paramref name="discardWarnings"/> clears the stderr
    /// of a command that succeeded. Bad input still throws.
    /// </summary>
    /// <param name="command">The program and its arguments.</param>
    /// <param name="options">How to run it; null uses oslo's defaults.</param>
    /// <param name="discardWarnings">Return an empty stderr when the command succeeded.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<(string StandardOutput, string StandardError)> TryCmdAsync(IReadOnlyList<string> command,
        ExecuteOptions? options = null, bool discardWarnings = false, CancellationToken cancellationToken = default)
    {
        try
        {
            var (standardOutput, standardError) = await ExecuteAsync(command, options, cancellationToken).ConfigureAwait(false);
            return (standardOutput, discardWarnings ? "" : standardError);
        }
        catch (ProcessExecutionException failure)
        {
            return ("", failure.Message);
        }
    }

    /// <summary>Runs a command without throwing for its failure and blocks until it has exited; see <see cref="TryCmdAsync"/>.</summary>
    /// <param name="command">The program and its arguments.</param>
    /// <param name="options">How to run it; null uses oslo's defaults.</param>
    /// <param name="discardWarnings">Return an empty stderr when the command succeeded.</param>
    public static (string StandardOutput, string StandardError) TryCmd(IReadOnlyList<string> command, ExecuteOptions? options = null, bool discardWarnings = false) =>
        TryCmdAsync(command, options, discardWarnings).GetAwaiter().GetResult();

    /// <summary>
    /// Runs a command on a remote host through a connected SSH.NET client (oslo's <c>ssh_execute()</c>). The command
    /// line is masked in logs and errors, standard error is masked, and standard output too unless
    /// <see cref="SshExecuteOptions.SanitizeStandardOutput"/> is false.
    /// </summary>
    /// <param name="ssh">A connected client.</param>
    /// <param name="command">The command line, run by the remote user's shell.</param>
    /// <param name="options">How to run it; null checks the exit code and masks stdout.</param>
    /// <param name="cancellationToken">Cancels the run. The remote command is sent a signal, which OpenSSH honours only
    /// for logins other than root; the channel is closed either way.</param>
    /// <returns>The exit code (-1 when the server sent none) and the output.</returns>
    /// <exception cref="ProcessExecutionException">The command exited with a code that is not allowed.</exception>
    /// <exception cref="ProcessTimeoutException">It ran longer than <see cref="CommandOptions.Timeout"/>.</exception>
    public static Task<ProcessResult> SshExecuteAsync(SshClient ssh, string command, SshExecuteOptions? options = null, CancellationToken cancellationToken = default) =>
        SshRunner.ExecuteAsync(ssh, command, options ?? new SshExecuteOptions(), cancellationToken);

    /// <summary>Runs a command over SSH and blocks until it has exited; see <see cref="SshExecuteAsync"/>.</summary>
    /// <param name="ssh">A connected client.</param>
    /// <param name="command">The command line.</param>
    /// <param name="options">How to run it; null checks the exit code and masks stdout.</param>
    public static ProcessResult SshExecute(SshClient ssh, string command, SshExecuteOptions? options = null) =>
        SshExecuteAsync(ssh, command, options).GetAwaiter().GetResult();

    /// <summary>The default number of workers: the number of CPUs this process may use, at least 1 (oslo's <c>get_worker_count()</c>).</summary>
    public static int GetWorkerCount() => Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Replaces the values of passwords, tokens, secrets and keys in <paramref name="message"/> with
    /// <paramref name="secret"/> (oslo_utils' <c>mask_password</c>, with its keys and patterns: <c>password=x</c>,
    /// <c>--password x</c>, <c>"password": "x"</c>, <c>&lt;password&gt;x&lt;/password&gt;</c> and more).
    /// </summary>
    /// <param name="message">Any text, such as a command line or a command's output.</param>
    /// <param name="secret">What replaces each value.</param>
    public static string MaskPassword(string message, string secret = "***") => PasswordMasker.Mask(message, secret);
}
