using NUnit.Framework;
using NUnit.Framework.Interfaces;
using TestLocks.Adapters;

namespace TestLocks.NUnit.Execution;

/// <summary>
/// Where NUnit puts the lines of a test or fixture: <see cref="TestContext.Progress"/>, which the NUnit adapter sends as
/// informational messages, shown at once by <c>dotnet test</c> on a project in a terminal (MSBuild's terminal logger);
/// TestContext.Error would become an MSBuild warning shown only when the project ends. How long the test waited also goes
/// to its output, to its property <see cref="WaitProperty"/> (NUnit's XML result lists it under the test's properties;
/// VSTest's results do not carry properties set while a test runs) and to the attachment TestLocks.wait.txt (TRX's result files).
/// </summary>
internal sealed class Channel(ITest test) : TestChannel
{
    /// <summary>The name of the test property that says how long the test waited for which locks.</summary>
    public const string WaitProperty = "TestLocks.Wait";

    protected override bool ShownLiveByVsTest => true;

    protected override void WriteLine(string line) => TestContext.Progress.WriteLine(line);

    protected override void WriteSummary(string summary)
    {
        TestContext.Progress.WriteLine(summary);
        TestContext.Out.WriteLine(summary);
        test.Properties.Set(WaitProperty, summary);
        TestContext.AddTestAttachment(WaitFile(summary), "How long the test waited for its locks, and who held them");
    }
}
