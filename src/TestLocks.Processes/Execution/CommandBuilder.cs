using TestLocks.Processes.Masking;
using TestLocks.Processes.Text;

namespace TestLocks.Processes.Execution;

/// <summary>
/// Turns a command and its <see cref="ExecuteOptions"/> into what is started, in oslo's order: the root helper, then
/// the shell, then <c>prlimit</c> around it all, and finally <c>setsid</c> so the command leads its own process group
/// and <c>env --default-signal=PIPE</c> so it gets the default SIGPIPE handling that .NET's own process lacks.
/// Every program is looked up first, so a missing one is reported by name.
/// </summary>
internal static class CommandBuilder
{
    private const string UtilLinuxHint = "It comes with util-linux (apt-get install util-linux).";

    public static PreparedCommand Build(IReadOnlyList<string> command, ExecuteOptions options)
    {
        var workingDirectory = WorkingDirectory(options);
        var path = SearchPath(options);
        var rootHelper = RootHelper(options);

        List<string> argv;
        string display;
        if (options.Shell)
        {
            var script = rootHelper.Count > 0 ? $"{options.RootHelper!.Trim()} {command[0]}" : command[0];
            argv = ["/bin/sh", "-c", script, "sh", .. command.Skip(1)];
            display = string.Join(' ', [script, .. command.Skip(1)]);
        }
        else
        {
            argv = [.. rootHelper, .. command];
            ExecutableResolver.Resolve(argv[0], path, workingDirectory);
            display = string.Join(' ', argv);
        }

        if (options.Limits is { } limits)
        {
            if (!OperatingSystem.IsLinux())
            {
                throw new PlatformNotSupportedException("ExecuteOptions.Limits needs Linux: the limits are applied with util-linux prlimit. Leave Limits null on this platform.");
            }
            List<string> prlimit = ["prlimit", .. limits.ToPrlimitArguments(), "--"];
            argv = [.. prlimit, .. argv];
            display = $"{string.Join(' ', prlimit)} {display}";
        }

        if (OperatingSystem.IsLinux())
        {
            // .NET ignores SIGPIPE and a child inherits that; oslo gives its commands the default back, and so does env.
            argv = ["setsid", "--wait", "env", "--default-signal=PIPE", .. argv];
        }

        var program = ExecutableResolver.Resolve(argv[0], path, workingDirectory, UtilLinuxHint);
        return new PreparedCommand(program, argv[1..], workingDirectory, PasswordMasker.Mask(display));
    }

    /// <summary>The directory the command starts in; a missing one is bad input.</summary>
    private static string WorkingDirectory(ExecuteOptions options)
    {
        var directory = options.WorkingDirectory ?? Directory.GetCurrentDirectory();
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"ExecuteOptions.WorkingDirectory '{directory}' does not exist. Create it or point WorkingDirectory at an existing directory.");
        }
        return Path.GetFullPath(directory);
    }

    private static string? SearchPath(ExecuteOptions options) =>
        options.Environment is { } environment && environment.TryGetValue("PATH", out var path)
            ? path
            : Environment.GetEnvironmentVariable("PATH");

    private static IReadOnlyList<string> RootHelper(ExecuteOptions options)
    {
        if (!options.RunAsRoot || Environment.IsPrivilegedProcess) return [];
        if (string.IsNullOrWhiteSpace(options.RootHelper))
        {
            throw new ArgumentException(
                $"ExecuteOptions.RunAsRoot is true but no RootHelper is set, and this process is not root (user '{Environment.UserName}'). Set RootHelper, for example \"sudo -n\", or run as root.",
                nameof(options));
        }
        return ShellWords.Split(options.RootHelper);
    }
}
