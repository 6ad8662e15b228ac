using System.Globalization;

namespace TestLocks.Processes;

/// <summary>
/// A command ran longer than its <see cref="CommandOptions.Timeout"/> and was killed (locally with its whole process
/// group). oslo raises <c>subprocess.TimeoutExpired</c> here. <see cref="ProcessExecutionException.ExitCode"/> is null;
/// the output holds what the command wrote before it was killed, masked.
/// </summary>
public sealed class ProcessTimeoutException : ProcessExecutionException
{
    /// <summary>Creates the exception for a command that exceeded <paramref name="timeout"/>.</summary>
    /// <param name="command">The command line, masked.</param>
    /// <param name="timeout">The timeout that was exceeded.</param>
    /// <param name="standardOutput">What the command wrote to standard output before it was killed, masked.</param>
    /// <param name="standardError">What the command wrote to standard error before it was killed, masked.</param>
    public ProcessTimeoutException(string command, TimeSpan timeout, string standardOutput, string standardError)
        : base(command, null, standardOutput, standardError, string.Create(CultureInfo.InvariantCulture,
            $"The command did not finish within its timeout of {timeout.TotalSeconds:0.###} s and was killed. Raise the Timeout option if it needs longer, or find why it hangs."))
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that was exceeded.</summary>
    public TimeSpan Timeout { get; }
}
