using System.Globalization;

namespace TestLocks.Backends.Server;

/// <summary>
/// The parts of a server backend_url every server backend reads the same way: user and password from the user info,
/// host and port, and query options (<c>?connect_timeout=5&amp;lock_timeout=30</c>) as tooz reads them. Options are
/// taken one by one; whatever is left over is an unknown option and fails with the list of known ones.
/// </summary>
internal sealed class BackendUrlOptions
{
    private readonly Dictionary<string, string> _query = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _known = [];

    public BackendUrlOptions(Uri url, TestLocksSettings settings, string backendName, int defaultPort)
    {
        Url = url;
        RawUrl = settings.BackendUrl ?? url.OriginalString;
        Origin = settings.OriginOf(nameof(TestLocksSettings.BackendUrl));
        BackendName = backendName;
        Host = url.Host.Length == 0 ? "127.0.0.1" : url.Host;
        Port = url.IsDefaultPort || url.Port <= 0 ? defaultPort : url.Port;
        var userInfo = url.UserInfo;
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        User = userInfo.Length == 0 ? null : Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        Password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = UnescapeQuery(eq < 0 ? pair : pair[..eq]);
            _query[name] = UnescapeQuery(eq < 0 ? "" : pair[(eq + 1)..]);
        }
    }

    public Uri Url { get; }

    /// <summary>backend_url as configured, password included: give it only to <see cref="LockBackendException"/>, which masks it.</summary>
    public string RawUrl { get; }

    /// <summary>Where backend_url came from, for messages.</summary>
    public string Origin { get; }

    public string BackendName { get; }
    public string Host { get; }
    public int Port { get; }
    public string? User { get; }
    public string? Password { get; }

    /// <summary>scheme://host:port/path, without user info or options: safe for messages and lock locations.</summary>
    public string Display => $"{Url.Scheme}://{Host}:{Port}{Url.AbsolutePath.TrimEnd('/')}";

    /// <summary>Takes the option <paramref name="name"/> as a number of seconds.</summary>
    public TimeSpan Seconds(string name, TimeSpan defaultValue, double minimum = 0.001)
    {
        var text = Take(name);
        if (text is null) return defaultValue;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= minimum && seconds <= 86_400)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        throw Invalid(name, text, $"a number of seconds from {minimum.ToString(CultureInfo.InvariantCulture)} to 86400, for example {defaultValue.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Takes the option <paramref name="name"/> as a whole number.</summary>
    public int Integer(string name, int defaultValue, int minimum, int maximum)
    {
        var text = Take(name);
        if (text is null) return defaultValue;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum) return value;
        throw Invalid(name, text, $"a whole number from {minimum} to {maximum}");
    }

    /// <summary>Takes the option <paramref name="name"/> as true/false (yes/no, on/off, 1/0).</summary>
    public bool Boolean(string name, bool defaultValue)
    {
        var text = Take(name);
        return text?.ToLowerInvariant() switch
        {
            null => defaultValue,
            "true" or "yes" or "on" or "1" => true,
            "false" or "no" or "off" or "0" => false,
            _ => throw Invalid(name, text, "true or false"),
        };
    }

    /// <summary>Takes the option <paramref name="name"/> as text, or null when absent.</summary>
    public string? Text(string name) => Take(name);

    /// <summary>Fails on any option nobody took: a misspelt option must not be silently ignored.</summary>
    public void RejectUnknown()
    {
        var unknown = _query.Keys.Where(k => !_known.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count == 0) return;
        throw new TestLocksConfigurationException(
            $"backend_url (from {Origin}) has the option '{unknown[0]}', which the {BackendName} backend does not know. " +
            $"Its options are: {string.Join(", ", _known)} (see docs/backends.md). Fix the spelling or remove it.");
    }

    private string? Take(string name)
    {
        _known.Add(name);
        return _query.TryGetValue(name, out var value) ? value : null;
    }

    private TestLocksConfigurationException Invalid(string name, string value, string expected) =>
        new($"backend_url (from {Origin}) has {name}={value}; the {BackendName} backend expects {expected}.");

    private static string UnescapeQuery(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
