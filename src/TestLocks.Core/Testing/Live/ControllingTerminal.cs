using System.Text;

namespace TestLocks.Testing.Live;

/// <summary>
/// Writes wait lines to the controlling terminal (<c>/dev/tty</c>) of the test process, where the test runner shows
/// nothing live: xUnit v3 under <c>dotnet test</c> on Microsoft.Testing.Platform (which shows neither the process's
/// standard output nor its output device until the test ends, not even with <c>--xunit-diagnostics on
/// --show-live-output on</c>), and VSTest when it does not forward test output live (<c>dotnet test x.dll</c>, or a
/// project when MSBuild's terminal logger is off), unless <c>dotnet test</c> writes to a pipe (<see cref="LiveLine"/>).
/// Without a controlling terminal (a service) nothing is written; the lines still reach the test's results.
/// <c>TESTLOCKS_NO_TERMINAL=1</c> turns it off.
/// </summary>
internal static class ControllingTerminal
{
    private static readonly Lazy<FileStream?> s_terminal = new(Open);

    /// <summary>Under <c>dotnet test</c> in MTP mode, the runner redraws its progress line (and at the end erases it) by
    /// moving the cursor up from where it left it, over two lines above the progress line: two empty lines after each of
    /// ours are what it then overwrites, instead of our line.</summary>
    private static readonly string s_after = DotnetTest.IsTestingPlatformMode ? "\r\n\r\n\r\n" : "\r\n";

    /// <summary>Writes <paramref name="line"/> on a line of its own.</summary>
    public static void WriteLine(string line)
    {
        if (s_terminal.Value is not { } terminal) return;
        var bytes = Encoding.UTF8.GetBytes("\r\u001b[K" + line.Replace('\n', ' ') + s_after);
        try
        {
            lock (terminal)
            {
                terminal.Write(bytes);
                terminal.Flush();
            }
        }
        catch (IOException)
        {
            // The terminal went away (hang-up): the test's output still has the line.
        }
    }

    private static FileStream? Open()
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable("TESTLOCKS_NO_TERMINAL") is "1" or "true") return null;
        try
        {
            return new FileStream("/dev/tty", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // no controlling terminal
        }
    }
}
