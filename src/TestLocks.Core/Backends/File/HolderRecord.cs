using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TestLocks.Diagnostics;
using TestLocks.Platform;

namespace TestLocks.Backends.File;

/// <summary>
/// The line a TestLocks holder writes at the start of its lock file: who it is and since when it holds the lock, as
/// one JSON object padded to a fixed size. oslo and fasteners never read or write lock file contents, so this does
/// not disturb them; waiters and people (<c>cat lock_path/tempest-availability_zone</c>) can read it. The last holder
/// to leave blanks it, so a free lock file names nobody. Waiters trust the kernel for who holds a lock and use the
/// record only when it names that holder.
/// </summary>
internal static class HolderRecord
{
    public const int Size = LockFile.RecordSize;

    private const string SinceFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
    private const string Ellipsis = "...";

    private static readonly string s_process =
        $"{{\"testlocks\":1,\"pid\":{ThisProcess.Id},\"host\":{JsonString(ThisProcess.Host)}";

    /// <summary>The record up to the time, for the last owner and mode written (owners rarely change).</summary>
    private static Prefix? s_last;

    /// <summary>Writes the record for <paramref name="self"/>, since now, at the start of <paramref name="file"/>, with
    /// the holder's fencing token when it has one (<c>"token":17</c>, a write lock).
    /// Never throws for any owner: the owner is cut, on a character boundary, to what fits. Allocates nothing when the
    /// owner is the same as last time.</summary>
    public static void Write(LockFile file, LockHolder self, long? token)
    {
        var prefix = s_last;
        if (prefix is null || prefix.Mode != self.Mode || !string.Equals(prefix.Owner, self.Owner, StringComparison.Ordinal)
            || prefix.Slots != self.Slots || !string.Equals(prefix.SlotOf, self.SlotOf, StringComparison.Ordinal))
        {
            s_last = prefix = new Prefix(self.Owner, self.Mode, self.SlotOf, self.Slots);
        }
        Span<byte> buffer = stackalloc byte[Size];
        buffer.Fill((byte)' ');
        buffer[Size - 1] = (byte)'\n';
        prefix.Bytes.CopyTo(buffer);
        var at = prefix.Bytes.Length;
        var since = Since(DateTime.UtcNow);
        since.CopyTo(buffer[at..]);
        at += since.Length;
        buffer[at++] = (byte)'"';
        if (token is { } t)
        {
            ",\"token\":"u8.CopyTo(buffer[at..]);
            at += TokenField.Length;
            t.TryFormat(buffer[at..], out var digits, provider: CultureInfo.InvariantCulture);
            at += digits;
        }
        buffer[at] = (byte)'}';
        file.WriteRecord(buffer);
    }

    /// <summary>The time as the record writes it, formatted once per millisecond (uncontended acquires come a few
    /// microseconds apart).</summary>
    private static byte[] Since(DateTime now)
    {
        var millisecond = now.Ticks / TimeSpan.TicksPerMillisecond;
        if (s_since is { } last && last.Millisecond == millisecond) return last.Bytes;
        Span<byte> text = stackalloc byte[SinceFormat.Length + 8];
        now.TryFormat(text, out var written, SinceFormat, CultureInfo.InvariantCulture);
        var bytes = text[..written].ToArray();
        s_since = new FormattedTime(millisecond, bytes);
        return bytes;
    }

    private const string TokenField = ",\"token\":";

    private sealed record FormattedTime(long Millisecond, byte[] Bytes);

    private static FormattedTime? s_since;

    /// <summary>Blanks the record (the lock is being released by its last holder).</summary>
    public static void Clear(LockFile file) => file.ClearRecord();

    private sealed class Prefix
    {
        /// <summary>Room for the owner's JSON string: the record less the fixed fields, the time, a token of up to 19
        /// digits, the closing characters and the newline.</summary>
        private static readonly int s_ownerRoom = Size - 1 - 2 - SinceFormat.Length - 2 - TokenField.Length - 19
            - Encoding.UTF8.GetByteCount(s_process + ",\"mode\":\"write\",\"owner\":,\"since\":\"");

        public Prefix(string? owner, LockMode mode, string? slotOf, int? slots)
        {
            Owner = owner;
            Mode = mode;
            SlotOf = slotOf;
            Slots = slots;
            // A slot of a counted lock says whose slot it is and how many slots its holder declared (before the owner, so a
            // long owner is what gets cut).
            var slot = slotOf is null || slots is null ? "" : $",\"of\":{JsonString(slotOf)},\"slots\":{slots.Value.ToString(CultureInfo.InvariantCulture)}";
            if (Encoding.UTF8.GetByteCount(slot) > s_ownerRoom / 2) slot = $",\"slots\":{slots!.Value.ToString(CultureInfo.InvariantCulture)}"; // a name of escapes: the count still fits
            Bytes = Encoding.UTF8.GetBytes(string.Concat(s_process,
                mode == LockMode.Read ? ",\"mode\":\"read\"" : ",\"mode\":\"write\"", slot, ",\"owner\":",
                FittedOwner(owner ?? "", s_ownerRoom - Encoding.UTF8.GetByteCount(slot)), ",\"since\":\""));
        }

        public string? Owner { get; }
        public LockMode Mode { get; }
        public string? SlotOf { get; }
        public int? Slots { get; }
        public byte[] Bytes { get; }

        /// <summary>The owner as a JSON string of at most <see cref="s_ownerRoom"/> UTF-8 bytes, cut on a character
        /// (never inside a surrogate pair) and marked with "..." when cut.</summary>
        private static string FittedOwner(string owner, int room)
        {
            var json = JsonString(owner);
            if (Encoding.UTF8.GetByteCount(json) <= room) return json;
            owner = WellFormed(owner);
            var length = 0;
            foreach (var rune in owner.EnumerateRunes())
            {
                var next = length + rune.Utf16SequenceLength;
                if (Encoding.UTF8.GetByteCount(JsonString(owner[..next] + Ellipsis)) > room) break;
                length = next;
            }
            return JsonString(owner[..length] + Ellipsis);
        }
    }

    /// <summary>Reads the record at the start of <paramref name="file"/>, or null when there is none. A record read
    /// while its holder writes it could mix two records, so it is read until two reads agree.</summary>
    public static LockHolder? Read(LockFile file)
    {
        Span<byte> first = stackalloc byte[Size];
        Span<byte> second = stackalloc byte[Size];
        var n = file.ReadRecord(first);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var m = file.ReadRecord(second);
            if (m == n && first[..n].SequenceEqual(second[..m])) return Parse(first[..n]);
            second[..m].CopyTo(first);
            n = m;
        }
        return null;
    }

    private static LockHolder? Parse(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty) return null;
        var end = line.IndexOf((byte)'\n');
        if (end >= 0) line = line[..end];
        line = line.TrimEnd((byte)' ');
        if (line.IsEmpty) return null;
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            if (!root.TryGetProperty("testlocks", out _)) return null;
            var owner = root.GetProperty("owner").GetString();
            var slotOf = root.TryGetProperty("of", out var of) ? of.GetString() : null;
            int? slots = root.TryGetProperty("slots", out var count) ? count.GetInt32() : null;
            return new LockHolder(
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("host").GetString(),
                string.IsNullOrEmpty(owner) ? null : owner,
                DateTimeOffset.Parse(root.GetProperty("since").GetString()!, CultureInfo.InvariantCulture),
                root.GetProperty("mode").GetString() == "read" ? LockMode.Read : LockMode.Write)
            {
                FencingToken = root.TryGetProperty("token", out var token) && token.TryGetInt64(out var t) ? t : null,
                SlotOf = slotOf,
                Slots = slots,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A JSON string, UTF-8 characters kept as they are (readable with <c>cat</c>); an unpaired surrogate, which
    /// JSON cannot carry, becomes U+FFFD.</summary>
    private static string JsonString(string s) => "\"" + JsonEncodedText.Encode(WellFormed(s), JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value + "\"";

    private static string WellFormed(string s)
    {
        if (!s.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF')) return s;
        var builder = new StringBuilder(s.Length);
        foreach (var rune in s.EnumerateRunes()) builder.Append(rune.ToString());
        return builder.ToString();
    }
}
