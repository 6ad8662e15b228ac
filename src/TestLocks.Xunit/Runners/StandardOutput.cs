using System.Text;

namespace TestLocks.Xunit.Runners;

/// <summary>
/// Writes wait lines to the test process's standard output, which VSTest forwards live as informational messages
/// (RunConfiguration.ForwardStandardOutput, on by default): <c>dotnet test</c> in a terminal shows them at once, with
/// no extra flags. xUnit v2's own channels are not live there: its diagnostic messages show only when turned on, and a
/// test's output only when the test ends. The process's own stream is used, so a test that redirects
/// <see cref="Console.Out"/> does not swallow the lines.
/// </summary>
internal static class StandardOutput
{
    private static readonly Lazy<Stream> s_stdout = new(Console.OpenStandardOutput);

    public static void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line.Replace('\n', ' ') + Environment.NewLine);
        var stdout = s_stdout.Value;
        try
        {
            lock (stdout)
            {
                stdout.Write(bytes);
                stdout.Flush();
            }
        }
        catch (IOException)
        {
            // Nobody reads the output any more: the test's own output still has the line.
        }
    }
}
