using Microsoft.Extensions.Logging;
using TestLocks.Processes.Text;

namespace TestLocks.Processes.Execution;

/// <summary>The log records of processutils, worded as oslo words them; every command line in them is masked.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Message = "Running cmd (subprocess): {Command}")]
    public static partial void Running(ILogger logger, LogLevel level, string command);

    [LoggerMessage(EventId = 2, Message = "CMD \"{Command}\" returned: {ExitCode} in {Seconds:0.000}s")]
    public static partial void Returned(ILogger logger, LogLevel level, string command, int exitCode, double seconds);

    [LoggerMessage(EventId = 3, Message = "CMD \"{Command}\" reached timeout in {Seconds:0.000}s")]
    public static partial void ReachedTimeout(ILogger logger, LogLevel level, string command, double seconds);

    [LoggerMessage(EventId = 4, Message = "'{Command}' failed. Retrying.")]
    public static partial void Retrying(ILogger logger, LogLevel level, string command);

    [LoggerMessage(EventId = 5, Message = "'{Command}' failed. Not Retrying.")]
    public static partial void NotRetrying(ILogger logger, LogLevel level, string command);

    /// <summary>oslo's LogErrors record of a failed attempt, with the output quoted on one line each.</summary>
    public static void Failure(ILogger logger, LogLevel level, ProcessExecutionException failure)
    {
        if (!logger.IsEnabled(level)) return;
        var standardOutput = Repr.Quote(failure.StandardOutput);
        var standardError = Repr.Quote(failure.StandardError);
        Failure(logger, level, failure.Description, failure.Command, failure.ExitCode, standardOutput, standardError);
    }

    [LoggerMessage(EventId = 6, Message = "{Description}\ncommand: {Command}\nexit code: {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}")]
    private static partial void Failure(ILogger logger, LogLevel level, string description, string command, int? exitCode, string standardOutput, string standardError);

    [LoggerMessage(EventId = 7, Message = "Running cmd (SSH): {Command}")]
    public static partial void RunningSsh(ILogger logger, LogLevel level, string command);

    [LoggerMessage(EventId = 8, Message = "Result was {ExitCode}")]
    public static partial void SshResult(ILogger logger, LogLevel level, int exitCode);
}
