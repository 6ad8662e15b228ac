using System.Globalization;
using System.Text;

namespace TestLocks.Diagnostics;

/// <summary>
/// Text from outside (a holder record in a lock file, a Redis key or a PostgreSQL session; a process's command line; a
/// file name in lock_path) made safe to show in a terminal, a CI log or a test report: every character that is not
/// visible text becomes a visible escape. So an ESC, BEL or CSI sequence cannot move the cursor, clear the screen, set a
/// window title or write a hyperlink, and a bidi override cannot reorder what a person reads. Escaped: C0 and C1 controls
/// and DEL (<c>\x1b</c>; line breaks and tabs too, so a holder stays on one line), format characters such as the bidi
/// controls and zero-width characters, the line and paragraph separators, and lone surrogates (<c>\u202e</c>).
/// </summary>
internal static class Printable
{
    /// <summary><paramref name="text"/> with every character that is not visible text escaped; the same string when
    /// there is none (the common case costs no allocation).</summary>
    public static string Line(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = FirstUnsafe(text);
        if (first < 0) return text;
        var result = new StringBuilder(text.Length + 8);
        result.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
                if (category == UnicodeCategory.Format) result.Append(CultureInfo.InvariantCulture, $"\\U{char.ConvertToUtf32(c, text[i + 1]):x8}");
                else result.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (IsUnsafe(c))
            {
                if (c < 0x100) result.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                else result.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    /// <summary><see cref="Line(string)"/>, or null for null.</summary>
    public static string? OrNull(string? text) => text is null ? null : Line(text);

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= ' ' and < '\u007f') continue; // printable ASCII, the common case
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(text, i) == UnicodeCategory.Format) return i; // e.g. U+E0001 LANGUAGE TAG
                i++;
                continue;
            }
            if (IsUnsafe(c)) return i;
        }
        return -1;
    }

    private static bool IsUnsafe(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
}
