namespace TestLocks.Testing.Live;

/// <summary>
/// Shows a wait line live where the test runner shows nothing of the test process while a test runs: the CI job's log
/// when <c>dotnet test</c> writes to a pipe (<see cref="CommandLog"/>), else the person's terminal
/// (<see cref="ControllingTerminal"/>). One of the two, so a line is never shown twice (<c>dotnet test | tee</c> in a
/// terminal shows the log). <c>TESTLOCKS_NO_TERMINAL=1</c> turns both off; the test's results keep every line.
/// </summary>
internal static class LiveLine
{
    public static void Write(string line)
    {
        if (!CommandLog.WriteLine(line)) ControllingTerminal.WriteLine(line);
    }
}
