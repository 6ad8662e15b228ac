namespace TestLocks.Configuration;

/// <summary>
/// Finds the INI file: an explicit path; else TESTLOCKS_CONFIG; else the first <c>testlocks.conf</c> in the current
/// directory and its parents; else <c>$XDG_CONFIG_HOME/testlocks/testlocks.conf</c> (default <c>~/.config</c>); else
/// <c>/etc/testlocks/testlocks.conf</c>. No file at all is fine: defaults and the environment apply.
/// </summary>
internal static class ConfigFileLocator
{
    public const string FileName = "testlocks.conf";

    public static string? Find(string? explicitFile, IReadOnlyDictionary<string, string?> env)
    {
        if (explicitFile is not null) return Require(explicitFile, "the configFile argument");
        if (env.TryGetValue("TESTLOCKS_CONFIG", out var named) && !string.IsNullOrEmpty(named))
        {
            return Require(named, "environment variable TESTLOCKS_CONFIG");
        }
        for (var dir = Directory.GetCurrentDirectory(); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, FileName);
            if (File.Exists(candidate)) return candidate;
        }
        var configHome = env.TryGetValue("XDG_CONFIG_HOME", out var xdg) && !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        foreach (var candidate in new[] { Path.Combine(configHome, "testlocks", FileName), "/etc/testlocks/" + FileName })
        {
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string Require(string path, string origin)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) return full;
        throw new TestLocksConfigurationException(
            $"The configuration file '{full}' named by {origin} does not exist. Fix the path, create the file (see tempest.conf.sample), or unset it.");
    }
}
