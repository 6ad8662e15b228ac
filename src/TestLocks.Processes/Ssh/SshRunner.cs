using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Renci.SshNet;
using TestLocks.Processes.Execution;
using TestLocks.Processes.Masking;

namespace TestLocks.Processes.Ssh;

/// <summary>oslo's <c>ssh_execute()</c> over SSH.NET: one command on a connected client, its output masked.</summary>
internal static class SshRunner
{
    public static async Task<ProcessResult> ExecuteAsync(SshClient ssh, string command, SshExecuteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ssh);
        ArgumentNullException.ThrowIfNull(command);
        OptionsValidation.Check(options);
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new ArgumentException("The remote command is empty. Pass the command line to run, for example \"ls -l\".", nameof(command));
        }
        if (!ssh.IsConnected)
        {
            throw new InvalidOperationException($"The SSH client for {ssh.ConnectionInfo.Username}@{ssh.ConnectionInfo.Host}:{ssh.ConnectionInfo.Port} is not connected. Call Connect() before SshExecuteAsync.");
        }

        var logger = options.Logger ?? NullLogger.Instance;
        var display = PasswordMasker.Mask(command);
        Log.RunningSsh(logger, options.LogLevel, display);

        using var remote = ssh.CreateCommand(command);
        using var timeout = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = Stopwatch.GetTimestamp();
        if (options.Timeout is { } limit) timeout.CancelAfter(limit);
        try
        {
            var execution = remote.ExecuteAsync(stop.Token);
            await WriteInputAsync(remote, options, stop.Token).ConfigureAwait(false);
            await execution.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Log.ReachedTimeout(logger, options.LogLevel, display, seconds);
            throw new ProcessTimeoutException(display, options.Timeout!.Value, Text(await ReadAsync(remote.OutputStream).ConfigureAwait(false)),
                Text(await ReadAsync(remote.ExtendedOutputStream).ConfigureAwait(false)));
        }

        var exitCode = remote.ExitStatus ?? -1;
        Log.SshResult(logger, options.LogLevel, exitCode);
        var standardOutput = await ReadAsync(remote.OutputStream).ConfigureAwait(false);
        var standardError = await ReadAsync(remote.ExtendedOutputStream).ConfigureAwait(false);
        if (exitCode != -1 && ExitCodeCheck.Fails(options, exitCode))
        {
            // The failure masks stdout too, even when SanitizeStandardOutput is false: a failing program may print its secrets.
            throw ExitCodeCheck.Failure(options, display, exitCode, standardOutput, standardError);
        }
        return new ProcessResult(exitCode,
            options.SanitizeStandardOutput ? PasswordMasker.Mask(standardOutput) : standardOutput,
            PasswordMasker.Mask(standardError));
    }

    private static async Task WriteInputAsync(SshCommand remote, CommandOptions options, CancellationToken cancellationToken)
    {
        var input = options.StandardInputBytes
            ?? (options.StandardInput is { } text ? Encoding.UTF8.GetBytes(text) : ReadOnlyMemory<byte>.Empty);
        if (input.IsEmpty) return; // SSH.NET sends EOF only after some data, so without input stdin stays open, as in oslo.
        // Disposing the stream sends EOF, so a command that reads its input to the end finishes.
        using var stream = remote.CreateInputStream();
        await stream.WriteAsync(input, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static string Text(ReadOnlyMemory<byte> output) => PasswordMasker.Mask(Encoding.UTF8.GetString(output.Span));
}
