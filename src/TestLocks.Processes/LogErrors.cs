namespace TestLocks.Processes;

/// <summary>
/// Whether a failed attempt logs its command, exit code, stdout and stderr (oslo's <c>LogErrors</c>). The record is
/// written at <see cref="CommandOptions.LogLevel"/>, already masked.
/// </summary>
public enum LogErrors
{
    /// <summary>Failed attempts are not logged in detail; the exception says what happened.</summary>
    Default = 0,

    /// <summary>Every failed attempt is logged.</summary>
    All = 1,

    /// <summary>Only the last failed attempt (the one that is not retried) is logged.</summary>
    Final = 2,
}
