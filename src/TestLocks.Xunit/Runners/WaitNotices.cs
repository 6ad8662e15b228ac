using System.Text;
using TestLocks.Testing.Live;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestLocks.Xunit.Runners;

/// <summary>The wait notices of one test case: shown live (the process's standard output, which <c>dotnet test</c> on a
/// project shows at once in a terminal; else the controlling terminal), sent as diagnostic messages, and kept for the
/// top of the test's output.</summary>
internal sealed class WaitNotices
{
    private readonly StringBuilder _text = new();

    public bool IsEmpty
    {
        get { lock (_text) return _text.Length == 0; }
    }

    public string Text
    {
        get { lock (_text) return _text.ToString(); }
    }

    public void Add(string line, IMessageSink diagnosticMessageSink)
    {
        lock (_text) _text.AppendLine(line);
        StandardOutput.WriteLine(line);
        if (!DotnetTest.VsTestShowsOutputLive) LiveLine.Write(line);
        diagnosticMessageSink.OnMessage(new DiagnosticMessage(line));
    }
}
