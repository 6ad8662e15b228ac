namespace TestLocks.Adapters.Live;

/// <summary>
/// Shows a wait line live where the test runner shows nothing of the test process while a test runs: the CI job's log
/// when <c>dotnet test</c> runs this process and writes to a pipe (<see cref="CommandLog"/>); this process's own standard
/// output when it runs its own tests and that output is a pipe or a file (<c>dotnet run</c>, <c>./MyTests | tee log</c>;
/// see <see cref="DotnetTest.RunsItsOwnTests"/>); else the person's terminal (<see cref="ControllingTerminal"/>). One of them,
/// so a line is never shown twice (<c>dotnet test | tee</c> in a terminal shows the log). No caller ever waits for an
/// output: each is written by a <see cref="LiveWriter"/> of its own. <c>TESTLOCKS_NO_TERMINAL=1</c> turns them off; the
/// test's results keep every line.
/// </summary>
internal static class LiveLine
{
    private static readonly Lazy<bool> s_ownOutput = new(() => Console.IsOutputRedirected);
    private static volatile bool s_standardOutputUsed;

    /// <summary>Whether <c>TESTLOCKS_NO_TERMINAL</c> turns the live lines off.</summary>
    public static bool TurnedOff { get; } = Environment.GetEnvironmentVariable("TESTLOCKS_NO_TERMINAL") is "1" or "true";

    /// <summary>Queues <paramref name="line"/> for the one live output of this process, if any.</summary>
    public static void Write(string line)
    {
        if (TurnedOff) return;
        if (DotnetTest.RunsItsOwnTests)
        {
            // Its own output is where its user reads (a `dotnet test` further up, if any, runs something else that runs it).
            if (!s_ownOutput.Value) ControllingTerminal.WriteLine(line);
            else if (!s_standardOutputUsed) OwnOutput.WriteLine(line); // a surface that writes its lines there itself (xUnit v2) did
            return;
        }
        if (!CommandLog.WriteLine(line)) ControllingTerminal.WriteLine(line);
    }

    /// <summary>Queues <paramref name="line"/> for this process's standard output, whatever <see cref="Write"/> chooses:
    /// for a surface whose runner forwards the test process's standard output live (VSTest).</summary>
    public static void WriteToStandardOutput(string line)
    {
        s_standardOutputUsed = true;
        OwnOutput.WriteLine(line);
    }
}
