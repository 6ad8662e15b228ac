using System.Text;

namespace TestLocks.Processes.Text;

/// <summary>Splits a command prefix such as a root helper (<c>sudo -n</c>, <c>sudo "my wrap"</c>) into words, like Python's <c>shlex.split</c>.</summary>
internal static class ShellWords
{
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else if (c == '\\' && q == '"' && i + 1 < text.Length && text[i + 1] is '"' or '\\') word.Append(text[++i]);
                else word.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                inWord = true;
                if (c is '"' or '\'') quote = c;
                else if (c == '\\' && i + 1 < text.Length) word.Append(text[++i]);
                else word.Append(c);
            }
        }
        if (quote is not null)
        {
            throw new ArgumentException($"The root helper \"{text}\" has an unclosed {quote} quote. Close it, for example \"sudo -n\".", nameof(text));
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
