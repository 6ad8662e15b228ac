using TestLocks.Platform.Unix;

namespace TestLocks.Adapters.Live;

/// <summary>
/// Writes wait lines to the controlling terminal (<c>/dev/tty</c>) of the test process, where the test runner shows
/// nothing live: xUnit v3 under <c>dotnet test</c> on Microsoft.Testing.Platform (which shows neither the process's
/// standard output nor its output device until the test ends, not even with <c>--xunit-diagnostics on
/// --show-live-output on</c>), and VSTest when it does not forward test output live (<c>dotnet test x.dll</c>, or a
/// project when MSBuild's terminal logger is off), unless <c>dotnet test</c> writes to a pipe (<see cref="LiveLine"/>).
/// The terminal is opened for non-blocking writes (its own open, so no other writer's descriptor changes) and written by
/// a <see cref="LiveWriter"/>: a terminal stopped with Ctrl+S holds up no test. Without a controlling terminal (a
/// service) nothing is written; the lines still reach the test's results. <c>TESTLOCKS_NO_TERMINAL=1</c> turns it off.
/// </summary>
internal static class ControllingTerminal
{
    private static readonly Lazy<LiveWriter?> s_terminal = new(Open);

    /// <summary>Under <c>dotnet test</c> in MTP mode, the runner redraws its progress line (and at the end erases it) by
    /// moving the cursor up from where it left it, over two lines above the progress line: two empty lines after each of
    /// ours are what it then overwrites, instead of our line.</summary>
    private static readonly string s_after = DotnetTest.IsTestingPlatformMode ? "\r\n\r\n\r\n" : "\r\n";

    /// <summary>Queues <paramref name="line"/> for a line of its own on the terminal.</summary>
    public static void WriteLine(string line) => s_terminal.Value?.WriteLine(line);

    private static LiveWriter? Open()
    {
        if (OperatingSystem.IsWindows() || LiveLine.TurnedOff) return null;
        return LiveOutput.OpenNonBlocking(TerminalDevice.Controlling) is { } terminal
            ? new LiveWriter(terminal, line => LiveWriter.Bytes(line, "\r\u001b[K", s_after))
            : null; // no controlling terminal
    }
}
