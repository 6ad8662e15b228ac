using System.Reflection;
using System.Runtime.InteropServices;

namespace TestLocks.Core.Tests;

/// <summary>The engine binds libc by name; on a glibc older than the symbol, the first lock would throw
/// EntryPointNotFoundException. .NET 10 supports glibc 2.28 (RHEL 8), so every entry point must exist there.</summary>
public sealed class GlibcCompatibilityTests
{
    private static readonly Version Oldest = new(2, 28);

    [Fact]
    public void Every_libc_function_the_engine_calls_exists_in_glibc_2_28()
    {
        var entryPoints = typeof(LockFactory).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<DllImportAttribute>())
            .Where(d => d is not null && d.Value == "libc")
            .Select(d => d!.EntryPoint ?? throw new InvalidOperationException("a libc import without an entry point name"))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("fcntl", entryPoints); // the scan found the generated P/Invoke stubs

        var versions = LibcSymbolVersions();
        var tooNew = entryPoints
            .Where(e => !versions.TryGetValue(e, out var v) || v.Min() > Oldest)
            .Select(e => versions.TryGetValue(e, out var v) ? $"{e} (GLIBC_{v.Min()})" : $"{e} (not exported)")
            .ToList();
        Assert.True(tooNew.Count == 0, "libc functions newer than glibc 2.28: " + string.Join(", ", tooNew));
    }

    /// <summary>Every versioned function libc exports, with the glibc versions that define it (objdump -T).</summary>
    private static Dictionary<string, List<Version>> LibcSymbolVersions()
    {
        var libc = new[] { "/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/lib64/libc.so.6" }.First(File.Exists);
        var info = new System.Diagnostics.ProcessStartInfo("objdump", ["-T", libc]) { RedirectStandardOutput = true };
        using var objdump = System.Diagnostics.Process.Start(info)!;
        var text = objdump.StandardOutput.ReadToEnd();
        objdump.WaitForExit();
        Assert.Equal(0, objdump.ExitCode);
        var result = new Dictionary<string, List<Version>>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            // "00000000000f7b30 g    DF .text	0000000000000053  GLIBC_2.28  statx"
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var at = Array.FindIndex(fields, f => f.StartsWith("GLIBC_2", StringComparison.Ordinal) || f.StartsWith("(GLIBC_2", StringComparison.Ordinal));
            if (at < 0 || at + 1 >= fields.Length || !fields.Contains("DF")) continue;
            var version = Version.Parse(fields[at].Trim('(', ')')["GLIBC_".Length..]);
            if (!result.TryGetValue(fields[at + 1], out var list)) result[fields[at + 1]] = list = [];
            list.Add(version);
        }
        return result;
    }
}
