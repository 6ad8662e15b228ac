namespace TestLocks.Configuration;

/// <summary>
/// The rule for a relative lock_path. <c>dotnet test</c> starts each test project in its own output folder, so a path
/// resolved against the working directory would give every project its own lock folder, and their tests would not
/// exclude each other. In an INI file a relative lock_path means the file's folder, which every process that reads the
/// file agrees on; from the environment or code it is refused, naming the setting and the fix.
/// </summary>
internal static class RelativeLockPath
{
    /// <summary><paramref name="value"/> from the INI file <paramref name="file"/>, made absolute against the file's folder.</summary>
    public static string InFile(string value, string file)
    {
        var trimmed = value.Trim();
        return trimmed.Length == 0 || Path.IsPathRooted(trimmed) ? value : Path.GetFullPath(trimmed, Path.GetDirectoryName(file)!);
    }

    /// <summary>Throws when <paramref name="value"/>, a lock_path from <paramref name="origin"/> (an environment variable or
    /// code), is relative.</summary>
    /// <param name="value">The lock_path.</param>
    /// <param name="origin">"environment variable TESTLOCKS_LOCK_PATH", "code (TestLocksSettings.LockPath)", ...</param>
    /// <param name="variable">The environment variable that set it, or null when code did.</param>
    /// <exception cref="TestLocksConfigurationException">The path is relative.</exception>
    public static void Refuse(string value, string origin, string? variable)
    {
        if (string.IsNullOrWhiteSpace(value) || Path.IsPathRooted(value)) return;
        var absolute = value.StartsWith("~/", StringComparison.Ordinal) ? "$HOME/" + value[2..] : "$PWD/" + value;
        var fix = variable is not null
            ? $"set an absolute path ({variable}=\"{absolute}\" in a shell)"
            : $"pass an absolute path, for example Path.GetFullPath(\"{value}\", folder) with a folder all test processes of the run share (not the working directory)";
        throw new TestLocksConfigurationException(
            $"lock_path \"{value}\" is a relative path (set by {origin}). Test processes of one run start in different working directories " +
            "(dotnet test starts each test project in its own output folder), so each would lock in a folder of its own and their tests " +
            $"would not exclude each other. Fix: {fix}, or put lock_path = {value} in a testlocks.conf, where a relative lock_path means the file's folder.");
    }
}
