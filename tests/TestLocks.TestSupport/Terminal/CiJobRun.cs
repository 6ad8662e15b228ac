using System.Diagnostics;

namespace TestLocks.TestSupport.Terminal;

/// <summary>
/// A command run as a CI job runs it: <c>setsid</c> (a session of its own, so no controlling terminal), stdout and
/// stderr pipes read into the job's log, nothing on stdin, CI=true, and none of this machine's terminal variables
/// (<see cref="TerminalRun.IsInherited"/>). Disposing kills what is still running.
/// </summary>
internal sealed class CiJobRun : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private readonly List<string> _log = [];
    private readonly Process _process;
    private readonly string _watched;
    private readonly TaskCompletionSource<string> _shown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CiJobRun(string directory, string command, IEnumerable<KeyValuePair<string, string>> environment, string watched)
    {
        _watched = watched;
        var start = new ProcessStartInfo("setsid") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "--wait", "bash", "-c", command }) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(TerminalRun.IsInherited).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment["CI"] = "true";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (_log) _log.Add(line);
            if (line.StartsWith(_watched, StringComparison.Ordinal)) _shown.TrySetResult(line);
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (_log) _log.Add(line); };
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts <paramref name="command"/> (bash) in <paramref name="directory"/>, watching its log for lines that
    /// start with <paramref name="watched"/>.</summary>
    public static CiJobRun Start(string directory, string command, IEnumerable<KeyValuePair<string, string>> environment, string watched) =>
        new(directory, command, environment, watched);

    /// <summary>Every line of the job's log so far.</summary>
    public IReadOnlyList<string> Log
    {
        get { lock (_log) return [.. _log]; }
    }

    /// <summary>The first watched line, once it is in the log; fails the test with the log after two minutes.</summary>
    public async Task<string> WaitForWatchedLineAsync()
    {
        try
        {
            return await _shown.Task.WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            // Compiled into xUnit and NUnit test projects alike, so it fails with a plain exception, which both report.
            throw new TimeoutException($"The line '{_watched}...' was not in the job's log within two minutes:\n{string.Join('\n', Log)}");
        }
    }

    /// <summary>Waits (two minutes at most) for the job to end and asserts that it passed.</summary>
    public async Task AssertPassedAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Limit);
        if (_process.ExitCode != 0)
            throw new InvalidOperationException($"the job exited with {_process.ExitCode}:\n{string.Join('\n', Log)}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
