using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace TestLocks.TestSupport.Terminal;

/// <summary>
/// A command run as a person runs it: in a pseudo-terminal (tmux, 200 columns), its bytes recorded as they arrive by
/// <c>script -qf</c>. <see cref="WaitForLineAsync"/> reacts to the recording (inotify, no polling), so a test can
/// prove that a line was shown while something was still going on; <see cref="Screen"/> is what the terminal shows
/// afterwards, history included, after every redraw of the runner's progress display. Each run has a tmux server of
/// its own, ended on disposal.
/// </summary>
internal sealed partial class TerminalRun : IDisposable
{
    private readonly string _socket = "testlocks-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _typescript;
    private readonly string _exitFile;
    private readonly FileSystemWatcher _watcher;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TerminalRun(string directory, string command, IReadOnlyDictionary<string, string> environment)
    {
        _typescript = Path.Combine(directory, $"{_socket}.typescript");
        _exitFile = Path.Combine(directory, $"{_socket}.exit");
        File.WriteAllText(_typescript, "");
        _watcher = new FileSystemWatcher(directory, Path.GetFileName(_typescript)) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Changed += (_, _) => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        _watcher.EnableRaisingEvents = true;
        var shell = $"cd {Quote(directory)} && script -qfec {Quote(command)} {Quote(_typescript)}; echo $? > {Quote(_exitFile)}; tmux -L {_socket} wait-for -S done; sleep 600";
        var start = Tmux("new-session", "-d", "-s", "run", "-x", "200", "-y", "50", shell);
        foreach (var name in start.Environment.Keys.Where(IsInherited).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment) start.Environment[name] = value;
        Run(start);
        Exited = WaitForExitAsync();
    }

    /// <summary>Starts <paramref name="command"/> (a shell command line) in <paramref name="directory"/>; the tmux server
    /// it runs in inherits this process's environment, less what it has from being a test itself (TestLocks settings, the
    /// MSBuild and VSTest variables of the `dotnet test` running it, and a CI job's variables, so it is a person's
    /// terminal), plus <paramref name="environment"/>.</summary>
    public static TerminalRun Start(string directory, string command, IReadOnlyDictionary<string, string> environment) =>
        new(directory, command, environment);

    /// <summary>Completes with the command's exit code when it ends.</summary>
    public Task<int> Exited { get; }

    /// <summary>What the command has printed so far, as lines, escape sequences removed.</summary>
    public IReadOnlyList<string> Lines => Plain(File.ReadAllText(_typescript));

    /// <summary>Waits until a line printed so far matches; fails when the command ends first or after two minutes.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (Lines.FirstOrDefault(match) is { } line) return line;
            if (Exited.IsCompleted) throw new InvalidOperationException($"Waiting for {what}: the command ended first.\n{Transcript}");
            try
            {
                await Task.WhenAny(changed, Exited).WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waiting for {what}: not printed within two minutes.\n{Transcript}");
            }
        }
    }

    /// <summary>Types <paramref name="key"/> (a tmux key name: "C-s" is Ctrl+S, which stops the terminal's output while
    /// IXON is on, as it is by default; "C-q" starts it again).</summary>
    public void SendKey(string key) => Run(Tmux("send-keys", "-t", "run", key));

    /// <summary>The terminal's lines now, history included, wrapped lines joined (tmux capture-pane).</summary>
    public IReadOnlyList<string> Screen()
    {
        var capture = Tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "run");
        capture.RedirectStandardOutput = true;
        using var process = Process.Start(capture)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text.Split('\n').Select(l => l.TrimEnd()).ToList();
    }

    /// <summary>Everything printed, for failure messages.</summary>
    public string Transcript => "terminal transcript:\n" + string.Join('\n', Lines);

    public void Dispose()
    {
        _watcher.Dispose();
        try
        {
            Run(Tmux("kill-server"));
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private async Task<int> WaitForExitAsync()
    {
        var waitFor = Tmux("wait-for", "done");
        using var process = Process.Start(waitFor)!;
        await process.WaitForExitAsync();
        return int.Parse(File.ReadAllText(_exitFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private ProcessStartInfo Tmux(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return start;
    }

    private static void Run(ProcessStartInfo start)
    {
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', start.ArgumentList)} failed: {error}");
    }

    private static List<string> Plain(string raw)
    {
        var text = Escapes().Replace(raw, "");
        return text.Split('\n').Select(l => l.Replace("\r", "", StringComparison.Ordinal).TrimEnd()).Where(l => l.Length > 0).ToList();
    }

    internal static bool IsInherited(string name) =>
        name.StartsWith("TESTLOCKS_", StringComparison.Ordinal) || name == "OSLO_LOCK_PATH" || CiVariables.Contains(name)
        || name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTEST_", StringComparison.Ordinal) || name.StartsWith("TESTINGPLATFORM_", StringComparison.Ordinal);

    /// <summary>What CI services set and tools (MSBuild among them) read to tell a CI job from a person's terminal.
    /// A run is a person's unless a test sets one of these itself.</summary>
    private static readonly HashSet<string> CiVariables =
        ["CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "APPVEYOR", "TRAVIS", "CIRCLECI", "JENKINS_URL", "TEAMCITY_VERSION", "BUILDKITE", "CODEBUILD_BUILD_ID", "BUILD_ID"];

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>CSI sequences (colours, cursor moves), OSC sequences (hyperlinks, progress), and single-character escapes.</summary>
    [GeneratedRegex(@"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>78]")]
    private static partial Regex Escapes();
}
