using System.Globalization;
using System.Text;
using System.Text.Json;
using TestLocks.Platform;

namespace TestLocks.Files;

/// <summary>
/// The line a TestLocks holder writes at the start of its lock file: who it is and since when, as one JSON object
/// padded to a fixed size. oslo and fasteners never read or write lock file contents, so this does not disturb
/// them; waiters and people (<c>cat lock_path/tempest-availability_zone</c>) can read it.
/// </summary>
internal static unsafe class HolderRecord
{
    public const int Size = 512;

    private static readonly string s_process =
        $"{{\"testlocks\":1,\"pid\":{Environment.ProcessId},\"host\":{JsonString(Environment.MachineName)}";

    /// <summary>Writes the record for <paramref name="self"/> at offset 0 of <paramref name="fd"/>. Best effort: a
    /// failed write loses only diagnostics, never the lock.</summary>
    public static void Write(int fd, LockHolder self)
    {
        var since = (self.Since ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var text = string.Concat(s_process,
            self.Mode == LockMode.Read ? ",\"mode\":\"read\",\"since\":\"" : ",\"mode\":\"write\",\"since\":\"",
            since, "\",\"owner\":", JsonString(self.Owner ?? ""), "}");
        Span<byte> buffer = stackalloc byte[Size];
        buffer.Fill((byte)' ');
        buffer[Size - 1] = (byte)'\n';
        var written = Encoding.UTF8.GetBytes(text.AsSpan(0, Math.Min(text.Length, Size / 3)), buffer[..(Size - 1)]);
        if (written >= Size / 3 - 1 && text.Length > Size / 3) return; // an absurdly long owner: skip rather than write broken JSON
        fixed (byte* p = buffer) LinuxNative.Pwrite(fd, p, Size, 0);
    }

    /// <summary>Reads the record at the start of <paramref name="fd"/>, or null when there is none.</summary>
    public static LockHolder? Read(int fd)
    {
        Span<byte> buffer = stackalloc byte[Size];
        nint n;
        fixed (byte* p = buffer) n = LinuxNative.Pread(fd, p, Size, 0);
        if (n <= 0) return null;
        var line = buffer[..(int)n];
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
