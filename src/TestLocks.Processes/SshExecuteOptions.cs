namespace TestLocks.Processes;

/// <summary>
/// How <see cref="ProcessUtils.SshExecuteAsync"/> runs a command on a remote host (oslo's <c>ssh_execute()</c>
/// keyword arguments). The remote command line is interpreted by the remote user's shell.
/// </summary>
public sealed record SshExecuteOptions : CommandOptions
{
    /// <summary>Mask passwords and tokens in the returned standard output (oslo's <c>sanitize_stdout</c>). Default true.
    /// Standard error is always masked, and so is standard output in a failure.</summary>
    public bool SanitizeStandardOutput { get; init; } = true;
}
