namespace TestLocks.Configuration;

/// <summary>Finds line numbers in an INI file, for error messages (Microsoft.Extensions.Configuration.Ini reports none).</summary>
internal static class IniLines
{
    /// <summary>The 1-based line of <paramref name="key"/> in <paramref name="section"/>, or 0 when not found.</summary>
    public static int LineOf(string file, string section, string key)
    {
        var current = "";
        var number = 0;
        foreach (var raw in File.ReadLines(file))
        {
            number++;
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']')) { current = line[1..^1].Trim(); continue; }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && current.Equals(section, StringComparison.OrdinalIgnoreCase)
                && line[..eq].Trim().Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return number;
            }
        }
        return 0;
    }

    /// <summary>Turns the INI parser's message (which quotes the bad line, or names a repeated key) into "line N: ...".</summary>
    public static string Locate(string file, string parserMessage)
    {
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length > 0 && parserMessage.Contains($"'{line}'", StringComparison.Ordinal))
            {
                return $"line {i + 1}: {parserMessage}";
            }
        }
        // A repeated key: name the second occurrence.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var section = "";
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('[') && line.EndsWith(']')) { section = line[1..^1].Trim(); continue; }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && !seen.Add(section + ":" + line[..eq].Trim())) return $"line {i + 1}: {parserMessage}";
        }
        return parserMessage;
    }
}
