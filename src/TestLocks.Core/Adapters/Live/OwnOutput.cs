using TestLocks.Platform.Linux;

namespace TestLocks.Adapters.Live;

/// <summary>
/// This process's own standard output, for the live lines of a runner that shows it at once: VSTest forwards a test
/// host's standard output live in a terminal (the xUnit v2 surface), and a test application that runs its own tests
/// (<c>dotnet run</c>, <c>./MyTests | tee log</c>, <c>./MyTests &gt; log</c>) writes its output where its user reads it.
/// Written by a <see cref="LiveWriter"/>, so an output nobody reads holds up no test. On Linux a pipe or terminal is
/// opened again through <c>/proc/self/fd/1</c> (a new open file description), so that this writer's writes can be
/// non-blocking while descriptor 1 stays as it was for the process's other writers (<see cref="Console.Out"/>);
/// anything else (a file, whose offset must be shared; another OS) is written through the process's own stream, on the
/// writer's thread. The process's own stream is used, not <see cref="Console.Out"/>, so a test that redirects
/// <see cref="Console.Out"/> does not swallow the lines.
/// </summary>
internal static class OwnOutput
{
    private const int AtomicPipeWrite = 4096;

    private static readonly Lazy<LiveWriter> s_output = new(Open);

    /// <summary>Queues <paramref name="line"/> for this process's standard output.</summary>
    public static void WriteLine(string line) => s_output.Value.WriteLine(line);

    private static LiveWriter Open()
    {
        var output = OperatingSystem.IsLinux() && ProcFs.OwnOutputPipeOrTerminal() is { } path ? LiveOutput.OpenNonBlocking(path) : null;
        output ??= LiveOutput.Of(Console.OpenStandardOutput());
        return new LiveWriter(output, line => LiveWriter.Bytes(line, "", Environment.NewLine, AtomicPipeWrite));
    }
}
