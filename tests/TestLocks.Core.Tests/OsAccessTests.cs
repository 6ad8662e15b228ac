using System.Reflection;
using System.Text.RegularExpressions;

namespace TestLocks.Core.Tests;

/// <summary>OS access lives only under Platform/ folders (issue 25). BannedApiAnalyzers (build/BannedSymbols.txt) bans the
/// interop APIs in the projects that opt in; what it cannot ban, strings that name /proc or /dev/tty, is checked here,
/// together with the P/Invoke attributes, in every source file of src/.</summary>
public sealed partial class OsAccessTests
{
    private static readonly string s_src = typeof(OsAccessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SourceRoot").Value!;

    [Fact]
    public void No_source_file_outside_a_Platform_folder_names_proc_or_dev_tty_or_declares_a_PInvoke()
    {
        var found = Sources().Where(f => !InPlatform(f))
            .SelectMany(OsAccess).ToList();

        Assert.True(found.Count == 0, "OS access outside Platform/ (move it into a Platform/ type and call that):\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_check_finds_the_OS_access_that_Platform_folders_hold()
    {
        Assert.Contains(OsAccess("TestLocks.Core/Platform/Linux/ProcFs.cs"), l => l.Contains("\"/proc/", StringComparison.Ordinal));
        Assert.Contains(OsAccess("TestLocks.Core/Platform/Unix/TerminalDevice.cs"), l => l.Contains("\"/dev/tty\"", StringComparison.Ordinal));
        Assert.Contains(OsAccess("TestLocks.Core/Platform/Unix/UnixNative.cs"), l => l.Contains("LibraryImport", StringComparison.Ordinal));
        Assert.Contains(Sources(), f => f.EndsWith("Adapters/Live/CommandLog.cs", StringComparison.Ordinal));
    }

    /// <summary>Every C# file under src/, relative to it, with / separators (build output excluded).</summary>
    private static List<string> Sources() => Directory.EnumerateFiles(s_src, "*.cs", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(s_src, f).Replace('\\', '/'))
        .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
        .Order(StringComparer.Ordinal).ToList();

    private static bool InPlatform(string file) => file.Split('/').SkipLast(1).Contains("Platform", StringComparer.Ordinal);

    /// <summary>The lines of <paramref name="file"/> (relative to src/) that access the OS, as "file:line: text"; comments
    /// are not code and are skipped.</summary>
    private static IEnumerable<string> OsAccess(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(s_src, file));
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("//", StringComparison.Ordinal)) continue;
            if (OsAccessPattern().IsMatch(line)) yield return $"src/{file}:{i + 1}: {line}";
        }
    }

    [GeneratedRegex("\"/proc\\b|\"/dev/tty|\\b(DllImport|LibraryImport)(Attribute)?\\b")]
    private static partial Regex OsAccessPattern();
}
