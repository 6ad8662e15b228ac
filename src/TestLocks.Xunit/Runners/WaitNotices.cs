using System.Text;
using TestLocks.Adapters;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestLocks.Xunit.Runners;

/// <summary>Where xUnit v2 puts the lines of one test case: the process's standard output, which VSTest forwards live
/// (RunConfiguration.ForwardStandardOutput, on by default; xUnit v2's own channels are not live there: its diagnostic
/// messages show only when turned on, and a test's output only when the test ends), diagnostic messages, and the top of
/// the test's output. The process's own stream is used, so a test that redirects <see cref="Console.Out"/> does not
/// swallow the lines, through a background writer, so an output nobody reads holds up no test.</summary>
internal sealed class WaitNotices(IMessageSink diagnosticMessageSink) : TestChannel
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

    protected override bool ShownLiveByVsTest => true;

    protected override void WriteLine(string line)
    {
        lock (_text) _text.AppendLine(line);
        WriteToStandardOutput(line);
        diagnosticMessageSink.OnMessage(new DiagnosticMessage(line));
    }
}
