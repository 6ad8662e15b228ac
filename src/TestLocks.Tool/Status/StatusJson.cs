using System.Text.Encodings.Web;
using System.Text.Json;

namespace TestLocks.Tool.Status;

/// <summary><c>testlocks status --json</c>: one object per lock, with visible text only.</summary>
internal static class StatusJson
{
    /// <summary>The locks as one indented JSON array, the stable form of <c>testlocks status --json</c>.</summary>
    public static string Render(List<LockStatus> locks)
    {
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, options))
        {
            json.WriteStartArray();
            foreach (var l in locks)
            {
                json.WriteStartObject();
                json.WriteString("lock", l.Name);
                json.WriteString("location", l.Location);
                json.WriteString("state", l.State);
                if (l.Holder is { } h)
                {
                    json.WriteString("mode", h.Mode == LockMode.Read ? "read" : "write");
                    if (h.ProcessId is { } pid) json.WriteNumber("pid", pid); else json.WriteNull("pid");
                    json.WriteString("host", h.Host);
                    json.WriteString("test", h.Owner);
                    if (h.Since is { } since) json.WriteString("since", since.UtcDateTime); else json.WriteNull("since");
                    json.WriteString("note", h.Note);
                    if (h.FencingToken is { } token) json.WriteNumber("fencing_token", token); else json.WriteNull("fencing_token");
                    if (h.SlotOf is { } of) json.WriteString("slot_of", of);
                    if (h.Slots is { } slots) json.WriteNumber("slots", slots);
                }
                if (l.Activity is { } a)
                {
                    if (a.Alive is { } alive) json.WriteBoolean("alive", alive); else json.WriteNull("alive");
                    json.WriteString("process_state", a.State);
                    if (a.CpuTime is { } cpu) json.WriteNumber("cpu_seconds", Math.Round(cpu.TotalSeconds, 3)); else json.WriteNull("cpu_seconds");
                    json.WriteNumber("cpu_interval_seconds", Math.Round(a.Interval.TotalSeconds, 3));
                }
                if (l.Waiters is { } w) json.WriteNumber("waiters", w); else json.WriteNull("waiters");
                if (l.Error is { } e) json.WriteString("error", e);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return InvisibleEscaped(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>The JSON with every invisible character that its encoder leaves as it is (C1 controls, bidi overrides and
    /// other format characters, line and paragraph separators) written as a <c>\uXXXX</c> escape: the same values for a
    /// program, and nothing a terminal obeys for a person. They can only be inside strings (the names come from lock_path).</summary>
    private static string InvisibleEscaped(string json)
    {
        var result = new System.Text.StringBuilder(json.Length);
        foreach (var c in json)
        {
            if ((c >= ' ' && c < '\u007f') || c is '\n' or '\r' || !IsInvisible(c)) result.Append(c);
            else result.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        return result.ToString();
    }

    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Control
        or System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator
        or System.Globalization.UnicodeCategory.ParagraphSeparator;
}
