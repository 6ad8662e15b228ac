using System.Globalization;
using System.Text;
using System.Text.Json;
using TestLocks.Diagnostics;
using TestLocks.Platform;

namespace TestLocks.Files;

/// <summary>
/// The line a TestLocks holder writes at the start of its lock file: who it is and since when, as one JSON object
/// padded to a fixed size. oslo and fasteners never read or write lock file contents, so this does not disturb
/// them; waiters and people (<c>cat lock_path/tempest-availability_zone</c>) can read it.
/// </summary>
internal static class HolderRecord
{
    public const int Size = 512;

    private static readonly string s_process =
        $"{{\"testlocks\":1,\"pid\":{ThisProcess.Id},\"host\":{JsonString(ThisProcess.Host)}";

    /// <summary>The record up to the time, for the last owner and mode written (owners rarely change).</summary>
    private static Prefix? s_last;

    /// <summary>Writes the record for <paramref name="self"/> at offset 0 of <paramref name="file"/>. Best effort: a
    /// failed write loses only diagnostics, never the lock. Allocates nothing when the owner is the same as last time.</summary>
    public static void Write(LockFile file, LockHolder self)
    {
        var prefix = s_last;
        if (prefix is null || prefix.Mode != self.Mode || !string.Equals(prefix.Owner, self.Owner, StringComparison.Ordinal))
        {
            s_last = prefix = new Prefix(self.Owner, self.Mode);
        }
        Span<byte> buffer = stackalloc byte[Size];
        buffer.Fill((byte)' ');
        buffer[Size - 1] = (byte)'\n';
        prefix.Bytes.CopyTo(buffer);
        var at = prefix.Bytes.Length;
        (self.Since ?? DateTimeOffset.UtcNow).UtcDateTime.TryFormat(buffer[at..], out var written, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        at += written;
        buffer[at++] = (byte)'"';
        buffer[at] = (byte)'}';
        file.WriteRecord(buffer);
    }

    private sealed class Prefix
    {
        public Prefix(string? owner, LockMode mode)
        {
            Owner = owner;
            Mode = mode;
            var ownerJson = JsonString(owner ?? "");
            if (ownerJson.Length > 300) ownerJson = JsonString((owner ?? "")[..200] + "...");
            Bytes = Encoding.UTF8.GetBytes(string.Concat(s_process,
                mode == LockMode.Read ? ",\"mode\":\"read\"" : ",\"mode\":\"write\"", ",\"owner\":", ownerJson, ",\"since\":\""));
        }

        public string? Owner { get; }
        public LockMode Mode { get; }
        public byte[] Bytes { get; }
    }

    /// <summary>Reads the record at the start of <paramref name="file"/>, or null when there is none.</summary>
    public static LockHolder? Read(LockFile file)
    {
        Span<byte> buffer = stackalloc byte[Size];
        var n = file.ReadRecord(buffer);
        if (n <= 0) return null;
        var line = buffer[..n];
        var end = line.IndexOf((byte)'\n');
        if (end >= 0) line = line[..end];
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            if (!root.TryGetProperty("testlocks", out _)) return null;
            var owner = root.GetProperty("owner").GetString();
            return new LockHolder(
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("host").GetString(),
                string.IsNullOrEmpty(owner) ? null : owner,
                DateTimeOffset.Parse(root.GetProperty("since").GetString()!, CultureInfo.InvariantCulture),
                root.GetProperty("mode").GetString() == "read" ? LockMode.Read : LockMode.Write);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string JsonString(string s) => "\"" + JsonEncodedText.Encode(s).Value + "\"";
}
