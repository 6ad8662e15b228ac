using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace TestLocks.Processes.Masking;

/// <summary>
/// A port of oslo_utils.strutils <c>mask_password</c>: the same keys, the same patterns (<c>key=value</c>,
/// <c>--key value</c>, <c>key "value"</c>, JSON / Python dict, XML, <c>'key', '--opt', 'value'</c>), applied in the
/// same order, plus one oslo lacks (<c>--os-password value</c>). Whitespace means ASCII whitespace, so the patterns
/// work the same on text and on raw bytes.
/// </summary>
internal static class PasswordMasker
{
    private const string Ws = @"[ \t\n\r\f\v]";
    private const string NotWs = @"[^ \t\n\r\f\v]";
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(5);

    /// <summary>What replaces a whole text whose masking did not finish in time: nothing secret may leak.</summary>
    internal const string Withheld = "[withheld: masking passwords in this text took too long]";

    // Substituted as "$1<secret>$2".
    private static readonly string[] TwoGroupPatterns =
    [
        $"""(KEY[0-9]*{Ws}*={Ws}*["'])[^"']*(["'])""",
        $"""(KEY[0-9]*{Ws}*={Ws}*")[^"]*(")""",
        $"""(KEY[0-9]*{Ws}*={Ws}*')[^']*(')""",
        $"""(KEY[0-9]*{Ws}+["'])[^"']*(["'])""",
        $"""(--KEY[0-9]*{Ws}+)[^'"=^ \t\n\r\f\v]+({Ws}*)""",
        """(<KEY[0-9]*>)[^<]*(</KEY[0-9]*>)""",
        $"""(["']KEY[0-9]*["']{Ws}*:{Ws}*["'])[^"']*(["'])""",
        $"""(['"][^"']*KEY[0-9]*['"]{Ws}*:{Ws}*u?['"])[^"']*(['"])""",
        $"""(['"][^'"]*KEY[0-9]*['"]{Ws}*,{Ws}*'--?[A-z]+'{Ws}*,{Ws}*u?['"])[^"']*(['"])""",
        $"""(KEY[0-9]*{Ws}*--?[A-z]+{Ws}*){NotWs}+({Ws}*)""",
        // Beyond oslo: an option whose name ends in the key, such as the OpenStack CLI's "--os-password value".
        $"""(--[A-Za-z0-9_-]*-KEY[0-9]*{Ws}+)[^'"=^ \t\n\r\f\v]+({Ws}*)""",
    ];

    // Substituted as "$1<secret>".
    private static readonly string[] OneGroupPatterns = [$"""(KEY[0-9]*{Ws}*={Ws}*)[^ \t\n\r\f\v^'"]+"""];

    // Substituted as "$1": quoted passwords that themselves contain quotes.
    private static readonly string[] WildcardPatterns = [$"""(['"][^"']*KEY[0-9]*['"]{Ws}*:{Ws}*u?['"].*['"])[^"']*(['"])"""];

    private static readonly ConcurrentDictionary<string, KeyPatterns> PatternsByKey = new(StringComparer.Ordinal);

    /// <summary>Returns <paramref name="message"/> with the value of every known secret key replaced by <paramref name="secret"/>.</summary>
    public static string Mask(string message, string secret = "***")
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(secret);
        var escaped = secret.Replace("$", "$$", StringComparison.Ordinal);
        try
        {
            foreach (var key in SanitizeKeys.All)
            {
                if (!message.Contains(key, StringComparison.OrdinalIgnoreCase)) continue;
                var patterns = PatternsByKey.GetOrAdd(key, static k => new KeyPatterns(k));
                foreach (var regex in patterns.TwoGroups) message = regex.Replace(message, "${1}" + escaped + "${2}");
                foreach (var regex in patterns.OneGroup) message = regex.Replace(message, "${1}" + escaped);
                foreach (var regex in patterns.Wildcard) message = regex.Replace(message, "${1}");
            }
            return message;
        }
        catch (RegexMatchTimeoutException)
        {
            return Withheld;
        }
    }

    /// <summary>
    /// Masks raw output without decoding it: every byte maps to one Latin-1 character and back, so bytes that are not
    /// part of a masked value come back unchanged (oslo does the same with <c>surrogateescape</c>).
    /// </summary>
    public static ReadOnlyMemory<byte> Mask(ReadOnlyMemory<byte> output)
    {
        var text = Encoding.Latin1.GetString(output.Span);
        var masked = Mask(text);
        return ReferenceEquals(masked, text) ? output : Encoding.Latin1.GetBytes(masked);
    }

    private sealed class KeyPatterns(string key)
    {
        public Regex[] TwoGroups { get; } = Build(TwoGroupPatterns, key);
        public Regex[] OneGroup { get; } = Build(OneGroupPatterns, key);
        public Regex[] Wildcard { get; } = Build(WildcardPatterns, key);

        private static Regex[] Build(string[] templates, string key) =>
            [.. templates.Select(t => new Regex(t.Replace("KEY", Regex.Escape(key), StringComparison.Ordinal), Options, MatchTimeout))];
    }
}
