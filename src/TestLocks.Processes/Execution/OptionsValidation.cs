namespace TestLocks.Processes.Execution;

/// <summary>Rejects bad input before anything starts, with a message that names the value and the fix.</summary>
internal static class OptionsValidation
{
    public static void Check(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw new ArgumentException("The command is empty. Pass the program and its arguments, for example [\"ls\", \"-l\"].", nameof(command));
        }
        for (var i = 0; i < command.Count; i++)
        {
            if (command[i] is null)
            {
                throw new ArgumentException($"Item {i} of the command is null. Pass a string for every argument (\"\" for an empty one).", nameof(command));
            }
        }
        if (string.IsNullOrWhiteSpace(command[0]))
        {
            throw new ArgumentException($"The program (item 0 of the command) is \"{command[0]}\". Name the program to run, for example \"ls\".", nameof(command));
        }
    }

    public static void Check(CommandOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = options.GetType().Name;
        if (options.StandardInput is not null && options.StandardInputBytes is not null)
        {
            throw new ArgumentException($"Both {name}.StandardInput and {name}.StandardInputBytes are set. Set one of them.", nameof(options));
        }
        if (options.CheckExitCode && (options.AllowedExitCodes is null || options.AllowedExitCodes.Count == 0))
        {
            throw new ArgumentException($"{name}.AllowedExitCodes is empty, so every exit code would fail. List the codes that mean success, for example [0], or set CheckExitCode = false.", nameof(options));
        }
        Positive(options.Timeout, $"{name}.Timeout");
    }

    public static void Check(ExecuteOptions options)
    {
        Check((CommandOptions)options);
        if (options.Attempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Attempts, $"ExecuteOptions.Attempts is {options.Attempts}; it must be 1 or more (1 runs the command once).");
        }
        if (!Enum.IsDefined(options.LogErrors))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.LogErrors, "ExecuteOptions.LogErrors must be LogErrors.Default, LogErrors.All or LogErrors.Final.");
        }
        Positive(options.WatchdogAfter, "ExecuteOptions.WatchdogAfter");
    }

    private static void Positive(TimeSpan? value, string name)
    {
        if (value is { } span && (span <= TimeSpan.Zero || span == System.Threading.Timeout.InfiniteTimeSpan))
        {
            throw new ArgumentOutOfRangeException(name, span, $"{name} is {span}; it must be a positive time span, for example TimeSpan.FromSeconds(30), or null for none.");
        }
    }
}
