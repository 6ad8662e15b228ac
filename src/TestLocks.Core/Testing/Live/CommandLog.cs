using System.Globalization;
using System.Text;
using TestLocks.Diagnostics;

namespace TestLocks.Testing.Live;

/// <summary>
/// The output of the <c>dotnet test</c> command that runs this test process, when it is a pipe: a CI job's log
/// (GitHub Actions, Azure Pipelines, GitLab and Jenkins agents all read the job's output through a pipe). There,
/// <c>dotnet test</c> shows nothing the test process prints while a test runs (MSBuild's console logger at its default
/// verbosity, or the MTP-mode CLI), and there is no terminal; a line written to the command's own output reaches the
/// log at once. Found on Linux by walking up the process tree (<c>/proc/PID/stat</c>, <c>/proc/PID/cmdline</c>) to the
/// nearest <c>dotnet test</c> (PID 1 included, as in a container), whose standard output (<c>/proc/PID/fd/1</c>) is
/// opened only when it is a pipe: each line goes in one write under the pipe's atomic size (4 KiB), so it is never
/// interleaved with another writer's write (a runner that writes one line in several writes may still see ours land
/// between them), while a regular file would be written over at the command's own offset. Elsewhere, or when the
/// output is a terminal or a file, there is none.
/// </summary>
internal static class CommandLog
{
    private const int AtomicPipeWrite = 4096;
    private const int MaxDepth = 12;

    private static readonly Lazy<FileStream?> s_log = new(() => Open(Environment.ProcessId));

    /// <summary>Whether there is a command log to write to.</summary>
    public static bool IsAvailable => s_log.Value is not null;

    /// <summary>Writes <paramref name="line"/> as one line, in one write; false when there is no command log.</summary>
    public static bool WriteLine(string line)
    {
        if (s_log.Value is not { } log) return false;
        var bytes = Encoding.UTF8.GetBytes(line.Replace('\n', ' ').Replace('\r', ' ') + "\n");
        if (bytes.Length > AtomicPipeWrite)
        {
            var cut = AtomicPipeWrite - 4;
            while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) cut--; // not inside a UTF-8 character
            bytes = [.. bytes.AsSpan(0, cut), .. "...\n"u8];
        }
        try
        {
            lock (log) log.Write(bytes);
        }
        catch (IOException)
        {
            // The job's log was closed: the test's output still has the line.
        }
        return true;
    }

    /// <summary>The output pipe of the nearest <c>dotnet test</c> above <paramref name="pid"/>; null when there is none.</summary>
    internal static FileStream? Open(int pid)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("TESTLOCKS_NO_TERMINAL") is "1" or "true") return null;
        try
        {
            return FindDotnetTest(pid) is { } command && IsPipe($"/proc/{command}/fd/1")
                ? new FileStream($"/proc/{command}/fd/1", FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0)
                : null;
        }
#pragma warning disable CA1031 // a live line is a courtesy: nothing about finding the log may fail a test
        catch (Exception)
        {
            return null; // another user's process, one that has ended, or a /proc that reads differently
        }
#pragma warning restore CA1031
    }

    private static int? FindDotnetTest(int pid)
    {
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            pid = int.Parse(ProcessActivity.ProcStatFields(pid)[1], NumberStyles.None, CultureInfo.InvariantCulture);
            if (pid <= 0) return null;
            var arguments = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0');
            if (arguments.Length > 1 && Path.GetFileName(arguments[0]) is "dotnet" && arguments[1] == "test") return pid;
            if (pid == 1) return null;
        }
        return null;
    }

    private static bool IsPipe(string path) =>
        new FileInfo(path).LinkTarget is { } target && target.StartsWith("pipe:", StringComparison.Ordinal);
}
