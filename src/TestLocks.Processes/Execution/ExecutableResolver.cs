namespace TestLocks.Processes.Execution;

/// <summary>
/// Finds a program before it is started, so a missing one is reported by name with the PATH that was searched,
/// instead of as an exit code from the wrapper that would have run it.
/// </summary>
internal static class ExecutableResolver
{
    /// <summary>Returns the full path of <paramref name="program"/>, searched like <c>execvp</c> does.</summary>
    /// <param name="program">A name looked up on the PATH, or a path (anything with a '/').</param>
    /// <param name="path">The PATH the command will see.</param>
    /// <param name="workingDirectory">Where relative paths start.</param>
    /// <param name="hint">How to get the program, appended to the error, e.g. "Install util-linux".</param>
    public static string Resolve(string program, string? path, string workingDirectory, string? hint = null)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(program, workingDirectory);
            if (IsExecutable(full)) return full;
            if (File.Exists(full))
            {
                throw new UnauthorizedAccessException(
                    $"The program '{full}' exists but is not executable. Make it executable (chmod +x) or run it through an interpreter.");
            }
            throw new FileNotFoundException($"The program '{program}' was not found at '{full}'. Check the path.{Suffix(hint)}", full);
        }

        foreach (var directory in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (IsExecutable(candidate)) return candidate;
        }
        throw new FileNotFoundException(
            $"The program '{program}' was not found on the PATH ({path}). Install it, add its directory to PATH, or give its full path.{Suffix(hint)}",
            program);
    }

    private static bool IsExecutable(string file)
    {
        if (!File.Exists(file)) return false;
        if (OperatingSystem.IsWindows()) return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(file) & anyExecute) != 0;
    }

    private static string Suffix(string? hint) => hint is null ? "" : " " + hint;
}
