namespace TestLocks.Processes;

/// <summary>
/// How <see cref="ProcessUtils.ExecuteAsync"/> runs a local command: oslo <c>processutils.execute()</c>'s keyword
/// arguments as properties. Every property has oslo's default, so <c>new ExecuteOptions()</c> behaves like a bare
/// <c>execute(*cmd)</c>. Records: derive variants with <c>options with { Attempts = 3 }</c>.
/// </summary>
public sealed record ExecuteOptions : CommandOptions
{
    /// <summary>The working directory of the command (oslo's <c>cwd</c>). Null uses the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment variables set for the command on top of the inherited environment (oslo's
    /// <c>env_variables</c>); a null value removes a variable. Unlike Python's <c>Popen(env=...)</c>, the rest of the
    /// environment (PATH, HOME) is kept.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>How many times the command is run before its failure is thrown (oslo's <c>attempts</c>). Default 1.
    /// Only exit-code failures are retried; a timeout, a cancellation or bad input is not.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>How long to wait before the next attempt, given the number of the attempt that just failed (1, 2, ...).
    /// Null (default) waits a random 0.2 to 2 s like oslo's <c>delay_on_retry=True</c>; <c>_ => TimeSpan.Zero</c>
    /// retries at once (<c>delay_on_retry=False</c>).</summary>
    public Func<int, TimeSpan>? RetryDelay { get; init; }

    /// <summary>Run the command as root by prefixing it with <see cref="RootHelper"/> (oslo's <c>run_as_root</c>).
    /// When the current process is already root, the helper is not applied.</summary>
    public bool RunAsRoot { get; init; }

    /// <summary>The command prefix that gains root, split like a shell would, for example <c>"sudo -n"</c> (oslo's
    /// <c>root_helper</c>). Required when <see cref="RunAsRoot"/> is true and the process is not root.</summary>
    public string? RootHelper { get; init; }

    /// <summary>Run the first item of the command as a <c>/bin/sh -c</c> script (oslo's <c>shell=True</c>); further items
    /// become the script's <c>$1</c>, <c>$2</c>, ... Default false: the items are the program and its arguments.</summary>
    public bool Shell { get; init; }

    /// <summary>Whether failed attempts are logged with their output (oslo's <c>log_errors</c>). Default
    /// <see cref="Processes.LogErrors.Default"/>.</summary>
    public LogErrors LogErrors { get; init; } = LogErrors.Default;

    /// <summary>Resource limits the kernel enforces on the command (oslo's <c>prlimit</c>), applied through util-linux
    /// <c>prlimit</c>. Linux only. Null (default) sets none.</summary>
    public ProcessLimits? Limits { get; init; }

    /// <summary>Called with the process id as soon as each attempt's process has started (oslo's <c>on_execute</c>).</summary>
    public Action<int>? OnExecute { get; init; }

    /// <summary>Called with the process id when each attempt's process has ended, also after a timeout or a cancellation
    /// (oslo's <c>on_completion</c>).</summary>
    public Action<int>? OnCompletion { get; init; }

    /// <summary>When set and <see cref="CommandOptions.Logger"/> is set, logs a warning
    /// <c>CMD "..." not completed after N s</c> if an attempt is still running after this long (oslo's watchdog).</summary>
    public TimeSpan? WatchdogAfter { get; init; }
}
