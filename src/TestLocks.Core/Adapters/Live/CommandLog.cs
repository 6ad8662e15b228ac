using TestLocks.Platform.Linux;

namespace TestLocks.Adapters.Live;

/// <summary>
/// The output of the <c>dotnet test</c> command that runs this test process, when it is a pipe: a CI job's log
/// (GitHub Actions, Azure Pipelines, GitLab and Jenkins agents all read the job's output through a pipe). There,
/// <c>dotnet test</c> shows nothing the test process prints while a test runs (MSBuild's console logger at its default
/// verbosity, or the MTP-mode CLI), and there is no terminal; a line written to the command's own output reaches the
/// log at once. Found on Linux by walking up the process tree (<c>/proc/PID/stat</c>, <c>/proc/PID/cmdline</c>) to the
/// nearest <c>dotnet test</c> (<c>dotnet -d test</c> and other options before the verb included; PID 1 included, as in a
/// container), whose standard output (<c>/proc/PID/fd/1</c>) is opened only when it is a pipe, with a path open of its
/// own and <c>O_NONBLOCK</c> on that open alone (the command's descriptor stays blocking): each line goes in one write
/// under the pipe's atomic size (4 KiB), so it is never interleaved with another writer's write (a runner that writes one
/// line in several writes may still see ours land between them), while a regular file would be written over at the
/// command's own offset. Lines are written by a <see cref="LiveWriter"/>, so a pipe nobody reads holds up no test.
/// Elsewhere, or when the output is a terminal or a file, there is none.
/// </summary>
internal static class CommandLog
{
    private const int AtomicPipeWrite = 4096;
    private const int MaxDepth = 12;

    private static readonly Lazy<LiveWriter?> s_log = new(() => Open(Environment.ProcessId));

    /// <summary>Whether there is a command log to write to.</summary>
    public static bool IsAvailable => s_log.Value is not null;

    /// <summary>Queues <paramref name="line"/> for the command log, as one line in one write; false when there is none.</summary>
    public static bool WriteLine(string line)
    {
        if (s_log.Value is not { } log) return false;
        log.WriteLine(line);
        return true;
    }

    /// <summary>The writer to the output pipe of the nearest <c>dotnet test</c> above <paramref name="pid"/>; null when
    /// there is none, or nobody reads the pipe.</summary>
    internal static LiveWriter? Open(int pid)
    {
        if (!OperatingSystem.IsLinux() || LiveLine.TurnedOff) return null;
        try
        {
            if (FindDotnetTest(pid) is not { } command) return null;
            return ProcFs.OutputPipe(command) is { } path && LiveOutput.OpenNonBlocking(path) is { } output
                ? new LiveWriter(output, line => LiveWriter.Bytes(line, "", "\n", AtomicPipeWrite))
                : null;
        }
#pragma warning disable CA1031 // a live line is a courtesy: nothing about finding the log may fail a test
        catch (Exception)
        {
            return null; // another user's process, one that has ended, or a /proc that reads differently
        }
#pragma warning restore CA1031
    }

    /// <summary>The nearest process above <paramref name="pid"/> that is <c>dotnet test</c>; null when there is none.</summary>
    internal static int? FindDotnetTest(int pid)
    {
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            pid = ProcFs.ParentOf(pid);
            if (pid <= 0) return null;
            var arguments = ProcFs.CommandLine(pid);
            if (DotnetTest.IsDotnetTest(arguments)) return pid;
            if (pid == 1) return null;
        }
        return null;
    }
}
