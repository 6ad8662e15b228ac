using NUnit.Framework;
using NUnit.Framework.Interfaces;
using TestLocks.Testing;
using TestLocks.Testing.Live;

namespace TestLocks.NUnit.Execution;

/// <summary>
/// Reports lock waits live through <see cref="TestContext.Progress"/>: which test, which lock, where, who holds it, whether
/// the holder is alive and working, and how long the test has waited. Core calls it when the wait starts and every
/// warn_after while it lasts. The NUnit adapter sends Progress as informational messages, which <c>dotnet test</c> in a
/// terminal shows at once on a project (MSBuild's terminal logger); TestContext.Error would become an MSBuild warning
/// shown only when the project ends. Where VSTest hides Progress (<c>dotnet test x.dll</c>, the terminal logger off),
/// the line goes to the controlling terminal too.
/// </summary>
internal static class WaitReporter
{
    /// <summary>The name of the test property that says how long the test waited for which locks.</summary>
    public const string WaitProperty = "TestLocks.Wait";

    public static Action<LockWaitNotice> For(WaitLog waits) => notice => Show(waits.Line(notice));

    /// <summary>Says how long the test waited: live, in its output, and as its property <see cref="WaitProperty"/>
    /// (NUnit's XML result lists it under the test's properties).</summary>
    public static void Record(ITest test, string summary)
    {
        Show(summary);
        TestContext.Out.WriteLine(summary);
        test.Properties.Set(WaitProperty, summary);
    }

    /// <summary>Progress, and the controlling terminal where VSTest does not show Progress live.</summary>
    private static void Show(string line)
    {
        TestContext.Progress.WriteLine(line);
        if (!DotnetTest.VsTestShowsOutputLive) LiveLine.Write(line);
    }
}
