using System.Text.RegularExpressions;
using TestLocks.Backends;
using TestLocks.Backends.Server;

namespace TestLocks.Postgres;

/// <summary>
/// The holder record as the SQL comment that rides on the statement taking a lock:
/// <c>/* testlocks {"testlocks":1,...,"owner":"logs/\u002a.txt"} */</c>.
/// </summary>
/// <remarks>
/// PostgreSQL block comments nest, so a <c>/*</c> or <c>*/</c> anywhere inside would end the comment early or leave it
/// unterminated (42601), and a test name may hold either (<c>logs/*.txt</c>, <c>src/**/*.cs</c>). The comment holds no
/// <c>*</c> at all: the JSON is ASCII (non-ASCII and control characters are <c>\uXXXX</c> escapes), and every <c>*</c>,
/// which JSON only has inside strings, is written as the escape <c>\u002a</c>. It is still the same JSON, so any JSON
/// reader gets the name back, and records of earlier versions (<c>*\/</c>) read as before. pg_stat_activity keeps only
/// the first <c>track_activity_query_size</c> bytes (1024 by default) of a statement, so a very long owner is cut to keep
/// the record whole.
/// </remarks>
internal static partial class HolderComment
{
    /// <summary>The longest record written: with the statement before it, well inside the default 1024 bytes.</summary>
    internal const int MaxRecord = 800;

    public static string Write(LockHolder holder)
    {
        var json = Escape(HolderJson.Write(holder));
        if (json.Length > MaxRecord && holder.Owner is { Length: > 0 } owner)
        {
            // Keep as much of the owner as fits, counting each character at most as long as its escape.
            var budget = MaxRecord - Escape(HolderJson.Write(holder with { Owner = "\u2026" })).Length;
            var keep = 0;
            for (var used = 0; keep < owner.Length; keep++)
            {
                used += char.IsAsciiLetterOrDigit(owner[keep]) || owner[keep] is ' ' or '.' or '_' or '-' or '(' or ')' or ',' ? 1 : 6;
                if (used > budget) break;
            }
            if (keep > 0 && char.IsHighSurrogate(owner[keep - 1])) keep--; // never half a character
            json = Escape(HolderJson.Write(holder with { Owner = owner[..keep] + "\u2026" }));
        }
        return $"/* testlocks {json} */";
    }

    /// <summary>The record of one of many locks held on one session, keyed by its advisory lock key:
    /// <c>/* testlocks 1234 {"testlocks":1,...} */</c>. Readers of earlier versions, which look for
    /// <c>/* testlocks {</c>, find none and name the holder from application_name.</summary>
    public static string WriteKeyed(long key, LockHolder holder) => $"/* testlocks {key} {Write(holder)[13..]}";

    /// <summary>The JSON without any <c>*</c>: each is the escape <c>\u002a</c>, the same string to a JSON reader.</summary>
    private static string Escape(string json) => json.Replace("*", "\\u002a", StringComparison.Ordinal);

    /// <summary>The record in <paramref name="statement"/> (a session's <c>pg_stat_activity.query</c>), or null.</summary>
    public static LockHolder? Read(string statement) =>
        RecordPattern().Match(statement) is { Success: true } record ? HolderJson.Read(record.Groups[1].Value) : null;

    /// <summary>The record of the lock <paramref name="key"/> in <paramref name="statement"/>: the keyed record of a
    /// session that holds many locks (see <see cref="WriteKeyed"/>), or the one record of a session that holds one;
    /// null when the statement has keyed records but none for this key (cut by track_activity_query_size).</summary>
    public static LockHolder? Read(string statement, long key)
    {
        foreach (Match record in KeyedPattern().Matches(statement))
        {
            if (long.TryParse(record.Groups[1].ValueSpan, provider: null, out var k) && k == key) return HolderJson.Read(record.Groups[2].Value);
        }
        return KeyedStart().IsMatch(statement) ? null : Read(statement);
    }

    [GeneratedRegex(@"/\* testlocks (-?[0-9]+) (\{[^*]*\}) \*/")]
    private static partial Regex KeyedPattern();

    /// <summary>Whether <paramref name="statement"/> carries keyed records (of a session holding many locks).</summary>
    public static bool IsKeyed(string statement) => KeyedStart().IsMatch(statement);

    /// <summary>A keyed record, even one cut short.</summary>
    [GeneratedRegex(@"/\* testlocks -?[0-9]")]
    private static partial Regex KeyedStart();

    [GeneratedRegex(@"/\* testlocks (\{.*\}) \*/", RegexOptions.Singleline)]
    private static partial Regex RecordPattern();
}
