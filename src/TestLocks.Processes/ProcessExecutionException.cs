using System.Globalization;
using TestLocks.Processes.Text;

namespace TestLocks.Processes;

/// <summary>
/// A command failed: it exited with a code that is not allowed, or it timed out (<see cref="ProcessTimeoutException"/>).
/// oslo's <c>ProcessExecutionError</c>. The message has oslo's layout: the description, then <c>Command:</c>,
/// <c>Exit code:</c>, <c>Stdout:</c> and <c>Stderr:</c> lines. Passwords and tokens in the command line and the
/// output are already masked.
/// </summary>
public class ProcessExecutionException : TestLocksException
{
    /// <summary>The description used when none is given, as in oslo.</summary>
    public const string DefaultDescription = "Unexpected error while running command.";

    /// <summary>Creates the exception; the message is built from the parts in oslo's layout.</summary>
    /// <param name="command">The command line, masked.</param>
    /// <param name="exitCode">The exit code, or null when there is none (shown as <c>-</c>).</param>
    /// <param name="standardOutput">What the command wrote to standard output, masked.</param>
    /// <param name="standardError">What the command wrote to standard error, masked.</param>
    /// <param name="description">What went wrong and how to fix it; null uses <see cref="DefaultDescription"/>.</param>
    /// <param name="innerException">The error that caused this one, if any.</param>
    public ProcessExecutionException(string command, int? exitCode, string standardOutput, string standardError,
        string? description = null, Exception? innerException = null)
        : base(Format(description ?? DefaultDescription, command, exitCode, standardOutput, standardError), innerException)
    {
        Command = command;
        ExitCode = exitCode;
        StandardOutput = standardOutput;
        StandardError = standardError;
        Description = description ?? DefaultDescription;
    }

    /// <summary>What went wrong and how to fix it (the first line of the message).</summary>
    public string Description { get; }

    /// <summary>The command line, with passwords masked.</summary>
    public string Command { get; }

    /// <summary>The exit code, or null when the command did not exit by itself (a timeout).</summary>
    public int? ExitCode { get; }

    /// <summary>Standard output, with passwords masked.</summary>
    public string StandardOutput { get; }

    /// <summary>Standard error, with passwords masked.</summary>
    public string StandardError { get; }

    private static string Format(string description, string command, int? exitCode, string standardOutput, string standardError) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            {description}
            Command: {command}
            Exit code: {(exitCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : "-")}
            Stdout: {Repr.Quote(standardOutput)}
            Stderr: {Repr.Quote(standardError)}
            """);
}
