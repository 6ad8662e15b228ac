using System.Text;

namespace TestLocks.Naming;

/// <summary>
/// oslo.concurrency's rule for lock file names: <c>prefix + ("" if prefix ends with "-" else "-") + name</c>, with the
/// path separator in the name replaced by <c>_</c>. So ("availability_zone", "tempest") and
/// ("availability_zone", "tempest-") both give <c>tempest-availability_zone</c>, the file oslo uses. Names that could
/// not safely be one file name inside lock_path are refused.
/// </summary>
internal static class LockFileName
{
    /// <summary>Longest file name (in UTF-8 bytes) Linux filesystems accept (NAME_MAX).</summary>
    internal const int MaxBytes = 255;

    /// <summary>The message for an empty lock name, wherever one is given.</summary>
    internal const string EmptyName = "A lock name cannot be empty. Give the shared resource a name, for example \"availability_zone\".";

    /// <summary>Applies oslo's rule and validates the result. Throws <see cref="ArgumentException"/> naming the problem.</summary>
    public static string Build(string name, string? prefix)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new ArgumentException(EmptyName, nameof(name));
        }
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Lock name \"{Printable(name)}\" contains a NUL character, which no file name can hold. Remove it.", nameof(name));
        }
        if (prefix is not null && (prefix.Contains('/', StringComparison.Ordinal) || prefix.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Lock file prefix \"{Printable(prefix)}\" contains '/' or NUL; a prefix must be part of one file name, for example \"tempest-\".", nameof(prefix));
        }
        RequireValidUtf16(name, "Lock name", nameof(name));
        if (prefix is not null) RequireValidUtf16(prefix, "Lock file prefix", nameof(prefix));

        // oslo replaces os.sep; '/' always (it separates paths everywhere), and '\' where it is the separator.
        var safeName = name.Replace('/', '_');
        if (OperatingSystem.IsWindows()) safeName = safeName.Replace('\\', '_');
        var fileName = string.IsNullOrEmpty(prefix) ? safeName : prefix.EndsWith('-') ? prefix + safeName : prefix + "-" + safeName;
        if (fileName is "." or "..")
        {
            throw new ArgumentException($"Lock name \"{name}\" would be the directory entry \"{fileName}\", not a lock file. Choose a name with other characters, or set a prefix.", nameof(name));
        }
        var bytes = Encoding.UTF8.GetByteCount(fileName);
        if (bytes > MaxBytes)
        {
            throw new ArgumentException($"Lock file name \"{fileName[..40]}...\" is {bytes} bytes long in UTF-8; file names on Linux hold at most {MaxBytes}. Use a shorter lock name or prefix.", nameof(name));
        }
        if (OperatingSystem.IsWindows() && Platform.Windows.WindowsFileNames.Problem(fileName) is { } problem)
        {
            throw new ArgumentException($"Lock file name \"{Printable(fileName)}\" {problem}. Choose another lock name (or prefix); " +
                "names made of letters, digits, '-', '_' and '.' work on every platform.", nameof(name));
        }
        return fileName;
    }

    /// <summary>Refuses a lone surrogate: it has no UTF-8 form, so the file name would get U+FFFD in its place, and two
    /// names that differ only there would share one lock file but not one in-process queue.</summary>
    private static void RequireValidUtf16(string value, string what, string parameter)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsSurrogate(value[i])) continue;
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            throw new ArgumentException(
                $"{what} \"{Escaped(value)}\" has a lone UTF-16 surrogate (\\u{(int)value[i]:X4} at index {i}), which no file name can hold. " +
                "Fix the string: a surrogate must be half of a pair (a character such as an emoji), never alone.", parameter);
        }
    }

    private static string Escaped(string s)
    {
        var result = new StringBuilder(s.Length);
        foreach (var c in s) result.Append(char.IsSurrogate(c) || c == '\0' ? $"\\u{(int)c:X4}" : c);
        return result.ToString();
    }

    private static string Printable(string s) => s.Replace("\0", "\\0", StringComparison.Ordinal);
}
