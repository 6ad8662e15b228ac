using System.Reflection;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace TestLocks.NUnit.Scenarios.Harness;

/// <summary>
/// Runs scenarios with NUnit's own framework runner, the one NUnit's engine and adapter drive, and reports on the
/// real standard output, line by line, so the driving test can react to events as they happen:
/// <c>PROGRESS text</c> (TestContext.Progress, where TestLocks reports waits), <c>PROPERTY TestLocks.Wait full-name | text</c>
/// (how long a test waited for its locks), <c>GATE phase</c> (stopped at a gate;
/// a line on standard input lets it go), <c>RESULT result-state full-name | message</c>, and <c>DONE</c>.
/// </summary>
public static class ScenarioHost
{
    // Set in Main, before NUnit redirects Console.Out to the running test's output.
    private static TextWriter s_out = TextWriter.Null;

    /// <summary><c>run REGEX</c>: runs the tests whose full name matches REGEX.</summary>
    public static int Main(string[] args)
    {
        s_out = Console.Out;
        if (args is not ["run", var pattern])
        {
            Console.Error.WriteLine("usage: TestLocks.NUnit.Scenarios run FULL-NAME-REGEX");
            return 2;
        }
        var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
        // SCENARIO_WORKERS: NUnit's parallel workers (default none: one test at a time).
        var workers = int.TryParse(Environment.GetEnvironmentVariable("SCENARIO_WORKERS"), out var n) ? n : 0;
        runner.Load(Assembly.GetExecutingAssembly(), new Dictionary<string, object> { ["NumberOfTestWorkers"] = workers });
        var filter = TestFilter.FromXml($"<filter><test re=\"1\">{System.Security.SecurityElement.Escape(pattern)}</test></filter>");
        var result = runner.Run(new Listener(), filter);
        Say($"STANDINS alive={StandInsAlive()}");
        Say($"DONE passed={result.PassCount} failed={result.FailCount}");
        return 0;
    }

    /// <summary>TestLocks' stand-in threads still running (none should outlive the run); read by reflection, as a user cannot.</summary>
    private static int StandInsAlive() =>
        (int)typeof(ExternalLockAttribute).Assembly.GetType("TestLocks.NUnit.Scheduling.StandIn", throwOnError: true)!
            .GetProperty("Alive", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

    internal static void HoldAtGate(string phase)
    {
        Say($"GATE {phase}");
        Console.In.ReadLine();
    }

    private static void Say(string line)
    {
        lock (s_out)
        {
            s_out.WriteLine(line);
            s_out.Flush();
        }
    }

    private sealed class Listener : ITestListener
    {
        public void TestStarted(ITest test)
        {
        }

        public void TestFinished(ITestResult result)
        {
            // Test cases always; suites only when they failed themselves (OneTimeSetUp, OneTimeTearDown, not runnable).
            if (result.Test.IsSuite && result.ResultState.Site is not (FailureSite.SetUp or FailureSite.TearDown) && result.Test.RunState != RunState.NotRunnable) return;
            var message = (result.Message ?? "").ReplaceLineEndings(" ");
            if (result.Test.Properties.Get("TestLocks.Wait") is string wait) Say($"PROPERTY TestLocks.Wait {result.Test.FullName} | {wait}");
            Say($"RESULT {result.ResultState} {result.Test.FullName} | {message}");
        }

        public void TestOutput(TestOutput output)
        {
            if (output.Stream == "Progress") Say($"PROGRESS {output.Text.TrimEnd()}");
        }

        public void SendMessage(TestMessage message)
        {
        }
    }
}
