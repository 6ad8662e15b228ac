using System.Globalization;
using System.Text;

namespace TestLocks.Processes.Text;

/// <summary>
/// Quotes output the way oslo's messages show it (Python's <c>%r</c>): one line, in single quotes, control characters
/// escaped, so an exception message keeps its five-line layout whatever the command printed.
/// </summary>
internal static class Repr
{
    /// <summary>How many characters of one stream a message shows; the exception's properties keep all of it.</summary>
    public const int MaxShown = 10_000;

    public static string Quote(string text)
    {
        var shown = text.Length > MaxShown ? text[..MaxShown] : text;
        var builder = new StringBuilder(shown.Length + 2).Append('\'');
        foreach (var c in shown)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\'': builder.Append(@"\'"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                case < ' ' or '\x7f': builder.Append(CultureInfo.InvariantCulture, $@"\x{(int)c:x2}"); break;
                default: builder.Append(c); break;
            }
        }
        builder.Append('\'');
        if (shown.Length < text.Length)
        {
            builder.Append(CultureInfo.InvariantCulture, $" ... ({text.Length - MaxShown} more characters)");
        }
        return builder.ToString();
    }
}
