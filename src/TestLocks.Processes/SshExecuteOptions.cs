namespace TestLocks.Processes;

/// <summary>
/// How <see cref="ProcessUtils.SshExecuteAsync"/> runs a command on a remote host (oslo's <c>ssh_execute()</c>
/// keyword arguments). The remote command line is interpreted by the remote user's shell. Input given through
/// <see cref="CommandOptions.StandardInput"/> or <see cref="CommandOptions.StandardInputBytes"/> is followed by
/// end-of-file; without input the remote standard input stays open (as in oslo), so a remote command that reads it
/// waits until its <see cref="CommandOptions.Timeout"/>: redirect it in the command (<c>cmd &lt; /dev/null</c>).
/// </summary>
public sealed record SshExecuteOptions : CommandOptions
{
    /// <summary>Mask passwords and tokens in the returned standard output (oslo's <c>sanitize_stdout</c>). Default true.
    /// Standard error is always masked, and so is standard output in a failure.</summary>
    public bool SanitizeStandardOutput { get; init; } = true;
}
