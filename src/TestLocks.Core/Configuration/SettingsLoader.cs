using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TestLocks.Configuration;

/// <summary>Builds <see cref="TestLocksSettings"/> from defaults, an INI file and the environment.</summary>
internal static class SettingsLoader
{
    private static readonly string[] s_testlocksOptions = ["lock_file_prefix", "lock_timeout", "warn_after", "backend_url", "events"];

    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) result[(string)e.Key] = (string?)e.Value;
        return result;
    }

    public static TestLocksSettings Load(string? configFile, IReadOnlyDictionary<string, string?> env)
    {
        var values = new Dictionary<string, (string Value, string Origin)>(StringComparer.Ordinal);
        var file = ConfigFileLocator.Find(configFile, env);
        IReadOnlyDictionary<string, IReadOnlyList<string>> pools = ImmutableDictionary<string, IReadOnlyList<string>>.Empty;
        if (file is not null) pools = ReadIni(file, values);
        ReadEnvironment(env, values);

        var settings = new TestLocksSettings(DefaultLockDirectory.For(env)) { ConfigFile = file, Pools = pools };
        var origins = ImmutableDictionary<string, string>.Empty;
        foreach (var (property, (value, origin)) in values)
        {
            settings = Apply(settings, property, value, origin);
            origins = origins.SetItem(property, origin);
        }
        return settings.LoadedFrom(origins);
    }

    private static ImmutableDictionary<string, IReadOnlyList<string>> ReadIni(string file, Dictionary<string, (string, string)> values)
    {
        IConfigurationRoot ini;
        try
        {
            ini = new ConfigurationBuilder().AddIniFile(file, optional: false, reloadOnChange: false).Build();
        }
        catch (InvalidDataException e) when (e.InnerException is FormatException format)
        {
            throw new TestLocksConfigurationException($"Cannot read the INI file '{file}': {IniLines.Locate(file, format.Message)} " +
                "Each line must be a [section], a key = value pair, a comment (; or #) or blank; keys must not repeat within a section.", e);
        }
        catch (IOException e)
        {
            throw new TestLocksConfigurationException($"Cannot read the INI file '{file}': {e.Message}", e);
        }

        void Take(string section, string key, string property)
        {
            var value = ini[$"{section}:{key}"];
            if (value is null) return;
            if (key is "lock_path" or "events") value = RelativeLockPath.InFile(value, file);
            values[property] = (value, $"[{section}] {key} in {file} (line {IniLines.LineOf(file, section, key)})");
        }

        foreach (var child in ini.GetChildren())
        {
            // A key above every [section] is read by nothing (oslo refuses such a file): the setting would be silently lost.
            if (child.Value is null) continue;
            throw new TestLocksConfigurationException(
                $"'{child.Key}' in '{file}' (line {IniLines.LineOf(file, "", child.Key)}) is outside any section, so nothing reads it. " +
                $"Put it under {SectionOf(child.Key.ToLowerInvariant())}.");
        }
        Take("DEFAULT", "lock_path", nameof(TestLocksSettings.LockPath));
        Take("oslo_concurrency", "lock_path", nameof(TestLocksSettings.LockPath));
        Take("DEFAULT", "disable_process_locking", nameof(TestLocksSettings.DisableProcessLocking));
        Take("oslo_concurrency", "disable_process_locking", nameof(TestLocksSettings.DisableProcessLocking));
        foreach (var child in ini.GetSection("testlocks").GetChildren())
        {
            var key = child.Key.ToLowerInvariant();
            if (Array.IndexOf(s_testlocksOptions, key) < 0)
            {
                throw new TestLocksConfigurationException(
                    $"Unknown option '{child.Key}' in section [testlocks] of '{file}' (line {IniLines.LineOf(file, "testlocks", child.Key)}). " +
                    (key is "lock_path" or "disable_process_locking"
                        ? $"{key} is oslo's option and is read where oslo reads it: move the line under [oslo_concurrency]."
                        : $"The options are: {string.Join(", ", s_testlocksOptions)}. Fix the spelling or remove the line."));
            }
            Take("testlocks", key, PropertyOf(key));
        }
        return ReadPools(ini, file);
    }

    /// <summary>The section a key given outside any section belongs in.</summary>
    private static string SectionOf(string key) =>
        key is "lock_path" or "disable_process_locking" ? "[oslo_concurrency]"
        : Array.IndexOf(s_testlocksOptions, key) >= 0 ? "[testlocks]"
        : $"its section: [oslo_concurrency] for lock_path and disable_process_locking, [testlocks] for {string.Join(", ", s_testlocksOptions)}, [testlocks.pools] for pools";

    /// <summary>The <c>[testlocks.pools]</c> section: <c>NAME = member, member, ...</c>, each pool 1 to 64 distinct members.</summary>
    private static ImmutableDictionary<string, IReadOnlyList<string>> ReadPools(IConfigurationRoot ini, string file)
    {
        var pools = ImmutableDictionary.Create<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var child in ini.GetSection("testlocks.pools").GetChildren())
        {
            var where = $"[testlocks.pools] {child.Key} in {file} (line {IniLines.LineOf(file, "testlocks.pools", child.Key)})";
            var members = (child.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (members.Length is 0 or > CountedLock.MaxSlots)
            {
                throw new TestLocksConfigurationException(
                    $"Pool {where} has {members.Length} members; a pool has 1 to {CountedLock.MaxSlots}. " +
                    $"List them separated by commas, for example \"{child.Key} = db1, db2, db3\".");
            }
            if (members.GroupBy(m => m, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new TestLocksConfigurationException($"Pool {where} names the member \"{twice.Key}\" twice; each member must appear once. Remove the repeat.");
            }
            pools = pools.SetItem(child.Key, members);
        }
        return pools;
    }

    private static void ReadEnvironment(IReadOnlyDictionary<string, string?> env, Dictionary<string, (string, string)> values)
    {
        void Take(string variable, string property)
        {
            if (env.TryGetValue(variable, out var value) && !string.IsNullOrEmpty(value))
            {
                values[property] = (value, $"environment variable {variable}");
            }
        }

        Take("OSLO_LOCK_PATH", nameof(TestLocksSettings.LockPath));
        Take("TESTLOCKS_LOCK_PATH", nameof(TestLocksSettings.LockPath));
        foreach (var variable in (string[])["TESTLOCKS_LOCK_PATH", "OSLO_LOCK_PATH"])
        {
            if (!env.TryGetValue(variable, out var path) || string.IsNullOrEmpty(path)) continue;
            RelativeLockPath.Refuse(path.Trim(), $"environment variable {variable}", variable); // the one that wins
            break;
        }
        Take("TESTLOCKS_DISABLE_PROCESS_LOCKING", nameof(TestLocksSettings.DisableProcessLocking));
        foreach (var option in s_testlocksOptions)
        {
            Take("TESTLOCKS_" + option.ToUpperInvariant(), PropertyOf(option));
        }
    }

    private static string PropertyOf(string option) => option switch
    {
        "lock_file_prefix" => nameof(TestLocksSettings.LockFilePrefix),
        "lock_timeout" => nameof(TestLocksSettings.LockTimeout),
        "warn_after" => nameof(TestLocksSettings.WarnAfter),
        "events" => nameof(TestLocksSettings.EventsPath),
        _ => nameof(TestLocksSettings.BackendUrl),
    };

    private static TestLocksSettings Apply(TestLocksSettings s, string property, string value, string origin)
    {
        try
        {
            return property switch
            {
                nameof(TestLocksSettings.LockPath) => s with { LockPath = value.Trim() },
                nameof(TestLocksSettings.DisableProcessLocking) => s with { DisableProcessLocking = ParseBool(value) },
                nameof(TestLocksSettings.LockFilePrefix) => s with { LockFilePrefix = value.Trim() },
                nameof(TestLocksSettings.LockTimeout) => s with { LockTimeout = ParseSeconds(value, allowNone: true) },
                nameof(TestLocksSettings.WarnAfter) => s with { WarnAfter = ParseSeconds(value, allowNone: false) },
                nameof(TestLocksSettings.EventsPath) => s with { EventsPath = value.Trim() },
                _ => s with { BackendUrl = value.Trim() },
            };
        }
        catch (Exception e) when (e is FormatException or TestLocksConfigurationException)
        {
            throw new TestLocksConfigurationException($"Invalid value \"{value}\" for {origin}: {e.Message}", e);
        }
    }

    private static bool ParseBool(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        _ => throw new FormatException("expected true or false (yes/no, on/off and 1/0 are accepted too)"),
    };

    private static TimeSpan ParseSeconds(string value, bool allowNone)
    {
        var v = value.Trim();
        if (allowNone && (v.Length == 0 || v.Equals("none", StringComparison.OrdinalIgnoreCase) || v == "-1"))
        {
            return Timeout.InfiniteTimeSpan;
        }
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds
            && (seconds > 0 || allowNone))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        throw new FormatException(allowNone
            ? "expected a number of seconds such as 300, or none for no limit"
            : "expected a positive number of seconds such as 30");
    }
}
