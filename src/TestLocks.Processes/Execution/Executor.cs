using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TestLocks.Processes.Execution;

/// <summary>oslo's <c>execute()</c> loop: run, check the exit code, log, and retry failed attempts after a delay.</summary>
internal static class Executor
{
    public static async Task<ProcessResult> ExecuteAsync(IReadOnlyList<string> command, ExecuteOptions options, CancellationToken cancellationToken)
    {
        OptionsValidation.Check(command);
        OptionsValidation.Check(options);
        var prepared = CommandBuilder.Build(command, options);
        var logger = options.Logger ?? NullLogger.Instance;
        var level = options.LogLevel;

        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var last = attempt == options.Attempts;
            Log.Running(logger, level, prepared.Display);
            var output = await ProcessRunner.RunAsync(prepared, options, logger, cancellationToken).ConfigureAwait(false);
            var seconds = output.Elapsed.TotalSeconds;
            Log.Returned(logger, level, prepared.Display, output.ExitCode, seconds);
            if (!ExitCodeCheck.Fails(options, output.ExitCode))
            {
                return new ProcessResult(output.ExitCode, output.StandardOutput, output.StandardError);
            }

            var failure = ExitCodeCheck.Failure(options, prepared.Display, output.ExitCode, output.StandardOutput, output.StandardError);
            if (options.LogErrors == LogErrors.All || (options.LogErrors == LogErrors.Final && last))
            {
                Log.Failure(logger, level, failure);
            }
            if (last)
            {
                Log.NotRetrying(logger, level, prepared.Display);
                throw failure;
            }
            Log.Retrying(logger, level, prepared.Display);
            await Task.Delay(RetryDelay(options, attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan RetryDelay(ExecuteOptions options, int attempt)
    {
        if (options.RetryDelay is null)
        {
            return TimeSpan.FromMilliseconds(Random.Shared.Next(200, 2001));
        }
        var delay = options.RetryDelay(attempt);
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), delay, $"ExecuteOptions.RetryDelay returned {delay} after attempt {attempt}; return TimeSpan.Zero or more.");
        }
        return delay;
    }
}
