using System.Diagnostics;

namespace TestLocks.NUnit.Tests.Harness;

/// <summary>
/// One child process running scenarios (see TestLocks.NUnit.Scenarios' ScenarioHost). The driving test reacts to what
/// it prints as it prints it: <see cref="WaitForLineAsync"/> completes on the line itself, never on a clock. The
/// timeout there only turns a broken run into a failure with the output instead of a hang.
/// </summary>
public sealed class ScenarioProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ScenarioProcess(Process process, string tag)
    {
        _process = process;
        Tag = tag;
    }

    /// <summary>The tag this process writes in the journal.</summary>
    public string Tag { get; }

    public int Id => _process.Id;

    /// <summary>Starts the scenarios matching <paramref name="pattern"/> (a regex on full names) in the scenario host.</summary>
    /// <param name="gate">The journal phase at which the process stops until <see cref="Open"/>.</param>
    /// <param name="environment">Extra TESTLOCKS_* settings, such as a lock timeout.</param>
    public static ScenarioProcess Start(string scenarios, Workspace workspace, string pattern, string tag,
        string? gate = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Launch([scenarios, "run", pattern], workspace, tag, gate, environment);

    /// <summary>Runs the scenarios selected by a VSTest <paramref name="filter"/> through <c>dotnet test</c> and the NUnit
    /// adapter, as a user's test run would, with live test output shown.</summary>
    private static ScenarioProcess Launch(string[] arguments, Workspace workspace, string tag, string? gate, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workspace.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("TESTLOCKS_", StringComparison.Ordinal) || k.StartsWith("SCENARIO_", StringComparison.Ordinal) || k == "OSLO_LOCK_PATH").ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in EnvironmentFor(workspace, tag, gate, environment)) start.Environment[key] = value;
        start.Environment["TESTLOCKS_NO_TERMINAL"] = "1"; // wait lines stay out of the terminal of whoever runs these tests

        var process = new Process { StartInfo = start };
        var run = new ScenarioProcess(process, tag);
        process.OutputDataReceived += (_, e) => run.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) run.OnLine("STDERR " + e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>What a scenario process is told: the workspace's config, lock_path and journal, its tag and gate.</summary>
    public static Dictionary<string, string> EnvironmentFor(Workspace workspace, string tag, string? gate, IReadOnlyDictionary<string, string>? environment)
    {
        var variables = new Dictionary<string, string>
        {
            ["TESTLOCKS_CONFIG"] = workspace.ConfigFile,
            ["TESTLOCKS_LOCK_PATH"] = workspace.LockPath,
            ["TESTLOCKS_LOCK_TIMEOUT"] = "30", // a deadlock fails the scenario instead of hanging it
            ["SCENARIO_JOURNAL"] = workspace.JournalFile,
            ["SCENARIO_TAG"] = tag,
        };
        if (gate is not null) variables["SCENARIO_GATE"] = gate;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) variables[key] = value;
        return variables;
    }

    /// <summary>Everything the process printed so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_gate) return [.. _lines];
        }
    }

    /// <summary>Completes with the first line (already printed or still to come) that matches.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what)
    {
        TaskCompletionSource<string> found;
        lock (_gate)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null) return seen;
            found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
        }
        var ended = _outputEnded.Task.ContinueWith(_ => "", TaskScheduler.Default);
        var first = await Task.WhenAny(found.Task, ended, Task.Delay(s_patience)).ConfigureAwait(false);
        if (first == found.Task) return await found.Task.ConfigureAwait(false);
        // The output may have ended right after the line we wait for arrived.
        lock (_gate)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null) return seen;
        }
        throw new AssertionException($"Process {Tag} never printed {what}. Its output:{Environment.NewLine}{string.Join(Environment.NewLine, Output)}");
    }

    /// <summary>Waits until the process stopped at its gate.</summary>
    public Task AtGateAsync(string phase) => WaitForLineAsync(l => l == "GATE " + phase, $"GATE {phase}");

    /// <summary>Waits until the process reports that it waits for <paramref name="lockName"/>.</summary>
    public Task<string> WaitingForAsync(string lockName) =>
        WaitForLineAsync(l => l.StartsWith("PROGRESS [TestLocks] ", StringComparison.Ordinal) && l.Contains($"Waiting for lock \"{lockName}\"", StringComparison.Ordinal),
            $"that it waits for lock \"{lockName}\"");

    /// <summary>Lets the process go on from its gate.</summary>
    public void Open()
    {
        _process.StandardInput.WriteLine();
        _process.StandardInput.Flush();
    }

    /// <summary>Waits for the run to end and returns each test's result line ("RESULT state full-name | message").</summary>
    public async Task<IReadOnlyList<string>> FinishAsync()
    {
        await WaitForLineAsync(l => l.StartsWith("DONE ", StringComparison.Ordinal), "DONE").ConfigureAwait(false);
        await ExitCodeAsync().ConfigureAwait(false);
        return Output.Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).ToList();
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(s_patience).ConfigureAwait(false);
        await _outputEnded.Task.WaitAsync(s_patience).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>The result line of the test whose full name ends with <paramref name="test"/>.</summary>
    public string ResultOf(string test) =>
        Output.SingleOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal) && l.Contains($".{test} |", StringComparison.Ordinal))
        ?? throw new AssertionException($"No result for {test} from process {Tag}. Its output:{Environment.NewLine}{string.Join(Environment.NewLine, Output)}");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
    }

    /// <summary>One line of output; null when standard output has ended.</summary>
    private void OnLine(string? line)
    {
        if (line is null)
        {
            _outputEnded.TrySetResult();
            return;
        }
        List<TaskCompletionSource<string>> matched;
        lock (_gate)
        {
            _lines.Add(line);
            matched = _waiters.Where(w => w.Match(line)).Select(w => w.Found).ToList();
            _waiters.RemoveAll(w => matched.Contains(w.Found));
        }
        foreach (var found in matched) found.TrySetResult(line);
    }
}
