using System.Diagnostics;
using System.Text;
using CliWrap;
using Microsoft.Extensions.Logging;
using TestLocks.Processes.Masking;
using TestLocks.Processes.Platform;

namespace TestLocks.Processes.Execution;

/// <summary>
/// Runs one attempt of a prepared command through CliWrap: input, output and error are piped concurrently (so no
/// amount of output can deadlock), and a timeout or a cancellation kills the command's whole process group.
/// </summary>
internal static class ProcessRunner
{
    public static async Task<RawOutput> RunAsync(PreparedCommand prepared, ExecuteOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var standardOutput = new MemoryStream();
        var standardError = new MemoryStream();
        var command = Cli.Wrap(prepared.Program)
            .WithArguments(prepared.Arguments)
            .WithWorkingDirectory(prepared.WorkingDirectory)
            .WithEnvironmentVariables(options.Environment ?? new Dictionary<string, string?>())
            .WithStandardInputPipe(Input(options))
            .WithStandardOutputPipe(PipeTarget.ToStream(standardOutput))
            .WithStandardErrorPipe(PipeTarget.ToStream(standardError))
            .WithValidation(CommandResultValidation.None);

        using var timeout = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = Stopwatch.GetTimestamp();
        if (options.Timeout is { } limit) timeout.CancelAfter(limit);

        var task = command.ExecuteAsync(stop.Token);
        var processId = task.ProcessId;
        try
        {
            using var kill = stop.Token.Register(static id => ProcessGroup.Kill((int)id!), processId);
            using var watchdog = options.WatchdogAfter is { } after && options.Logger is { } watched
                ? new CommandWatchdog(watched, $"CMD \"{prepared.Display}\"", LogLevel.Warning, after)
                : null;
            try
            {
                options.OnExecute?.Invoke(processId);
            }
            catch
            {
                ProcessGroup.Kill(processId);
                await task.Task.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                throw;
            }

            var result = await task.ConfigureAwait(false);
            return new RawOutput(result.ExitCode, Bytes(standardOutput), Bytes(standardError), Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Log.ReachedTimeout(logger, options.LogLevel, prepared.Display, seconds);
            throw new ProcessTimeoutException(prepared.Display, options.Timeout!.Value, MaskedText(standardOutput), MaskedText(standardError));
        }
        catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"The command was cancelled and its process group killed: {prepared.Display}", exception, cancellationToken);
        }
        finally
        {
            options.OnCompletion?.Invoke(processId);
        }
    }

    private static PipeSource Input(CommandOptions options) =>
        options.StandardInputBytes is { } bytes ? PipeSource.FromBytes(bytes)
        : options.StandardInput is { } text ? PipeSource.FromString(text, new UTF8Encoding(false))
        : PipeSource.Null;

    private static ReadOnlyMemory<byte> Bytes(MemoryStream stream) => new(stream.GetBuffer(), 0, (int)stream.Length);

    private static string MaskedText(MemoryStream stream) => PasswordMasker.Mask(Encoding.UTF8.GetString(Bytes(stream).Span));
}
