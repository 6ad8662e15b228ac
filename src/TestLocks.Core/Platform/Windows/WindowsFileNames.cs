namespace TestLocks.Platform.Windows;

/// <summary>
/// The lock file names Windows cannot create: reserved device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or
/// without an extension, in any case), the characters <c>&lt;&gt;:"|?*</c> and control characters, and a trailing dot
/// or space (Windows strips them, so two names would share one file). TestLocks refuses them with an
/// <see cref="ArgumentException"/> rather than map them, so that a name means the same file everywhere.
/// A backslash, the Windows path separator, is replaced by <c>_</c> as oslo replaces <c>os.sep</c>.
/// </summary>
internal static class WindowsFileNames
{
    private static readonly string[] s_devices = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

    /// <summary>Why <paramref name="fileName"/> cannot be a file name on Windows, or null when it can.</summary>
    public static string? Problem(string fileName)
    {
        var bad = fileName.IndexOfAny(['<', '>', ':', '"', '|', '?', '*', '\\']);
        if (bad >= 0) return $"contains '{fileName[bad]}', which Windows does not allow in file names (none of <>:\"|?* can be used)";
        foreach (var c in fileName)
        {
            if (c < ' ') return $"contains the control character U+{(int)c:X4}, which Windows does not allow in file names";
        }
        if (fileName.EndsWith('.') || fileName.EndsWith(' ')) return "ends with a dot or a space, which Windows strips from file names (so it would share a file with another name)";
        var stem = fileName.Split('.')[0].TrimEnd(' ');
        if (IsDevice(stem)) return $"is the reserved device name {stem.ToUpperInvariant()} on Windows (CON, PRN, AUX, NUL, COM1-9 and LPT1-9 name devices, with any extension)";
        if (fileName.Length > 255) return $"is {fileName.Length} characters long; file names on Windows hold at most 255";
        return null;
    }

    private static bool IsDevice(string stem)
    {
        if (s_devices.Any(d => string.Equals(d, stem, StringComparison.OrdinalIgnoreCase))) return true;
        return stem.Length == 4
            && (stem.StartsWith("COM", StringComparison.OrdinalIgnoreCase) || stem.StartsWith("LPT", StringComparison.OrdinalIgnoreCase))
            && (stem[3] is >= '0' and <= '9' or '\u00B9' or '\u00B2' or '\u00B3');
    }
}
