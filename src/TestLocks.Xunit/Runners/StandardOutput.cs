using TestLocks.Testing.Live;

namespace TestLocks.Xunit.Runners;

/// <summary>
/// Writes wait lines to the test process's standard output, which VSTest forwards live as informational messages
/// (RunConfiguration.ForwardStandardOutput, on by default): <c>dotnet test</c> in a terminal shows them at once, with
/// no extra flags. xUnit v2's own channels are not live there: its diagnostic messages show only when turned on, and a
/// test's output only when the test ends. The process's own stream is used, so a test that redirects
/// <see cref="Console.Out"/> does not swallow the lines; a background writer writes them, so an output nobody reads
/// holds up no test (<see cref="LiveLine.WriteToStandardOutput"/>).
/// </summary>
internal static class StandardOutput
{
    public static void WriteLine(string line) => LiveLine.WriteToStandardOutput(line);
}
