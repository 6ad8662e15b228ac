namespace TestLocks.Adapters;

/// <summary>
/// Where one framework puts what <see cref="LockedTest"/> says about a test, as its package translates it: the wait
/// lines and the wait summary in the test's own output (and result), and cancelling the test when a held lock is lost.
/// <see cref="LockedTest"/> itself shows every line live where the runner shows nothing while the test runs (the CI
/// job's log or the person's terminal); a channel only says whether its runner already does. Every member is called
/// from any thread, may race the end of the test, and is not allowed to fail the test: what it throws is dropped.
/// </summary>
public abstract class TestChannel
{
    /// <summary>For framework packages.</summary>
    protected TestChannel()
    {
    }

    /// <summary>Writes <paramref name="line"/> (a wait line: who holds the lock, for how long) to the test's output.</summary>
    protected internal abstract void WriteLine(string line);

    /// <summary>Records how long the test waited for its locks (one line, once its locks are held); by default its output.
    /// A framework with result properties or attachments adds the line there too.</summary>
    protected internal virtual void WriteSummary(string summary) => WriteLine(summary);

    /// <summary>Cancels the running test: a server backend lost one of its locks (a connection dropped, a lease expired),
    /// so its work is not protected any more. The release then fails it with <see cref="LockLostException"/>.
    /// By default nothing (the release still fails the test).</summary>
    protected internal virtual void CancelTest()
    {
    }

    /// <summary>Whether <c>dotnet test</c> on VSTest, through MSBuild's terminal logger, shows this channel's lines at once
    /// (the test host's standard output, NUnit's Progress, MSTest's messages): then <see cref="LockedTest"/> does not
    /// show them live a second time there.</summary>
    protected internal virtual bool ShownLiveByVsTest => false;

    /// <summary>Writes <paramref name="summary"/> to a new file named <c>TestLocks.wait.txt</c>, in a directory of its own under
    /// the temporary directory, and returns its path: for a framework that attaches files to a test's result (TRX lists
    /// them as the result's files).</summary>
    protected static string WaitFile(string summary)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("testlocks-wait-").FullName, "TestLocks.wait.txt");
        File.WriteAllText(path, summary + Environment.NewLine);
        return path;
    }

    /// <summary>Queues <paramref name="line"/> for this process's standard output, written by a background writer so
    /// that an output nobody reads holds up no test: for a runner that forwards the test process's standard output live.</summary>
    protected static void WriteToStandardOutput(string line) => Live.LiveLine.WriteToStandardOutput(line);
}
