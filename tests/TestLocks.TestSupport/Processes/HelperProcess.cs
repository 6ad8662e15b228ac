using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;

namespace TestLocks.TestSupport.Processes;

/// <summary>
/// A real child process (the TestHelper program, or /usr/bin/python3) whose stdout lines the test waits for.
/// Tests synchronize on those lines, never on sleeps; every wait has a generous limit so nothing hangs.
/// </summary>
public sealed class HelperProcess : IAsyncDisposable
{
    public static readonly TimeSpan LineLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly System.Text.StringBuilder _stderr = new();

    private HelperProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) _lines.Writer.TryComplete(); else _lines.Writer.TryWrite(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data);
        };
        StartOnce(_process);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts <paramref name="process"/>. Under wine, CreateProcess once failed with ERROR_INTERNAL_ERROR (1359,
    /// "Internal error") while other tests' helpers were dying of unhandled exceptions in the same wineserver (a CI run of
    /// the Windows suite, 1 start in about 10 runs); nothing had started, so the start is tried again, at most twice.
    /// Any other error, and any error on Linux, is the test's.</summary>
    private static void StartOnce(Process process)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                process.Start();
                return;
            }
            catch (System.ComponentModel.Win32Exception e) when (OperatingSystem.IsWindows() && e.NativeErrorCode == 1359 && attempt < 3)
            {
            }
        }
    }

    public static string HelperDll { get; } = typeof(HelperProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TestHelperDll").Value!;

    /// <summary>A copy of the helper's build output that any user can read: the checkout may sit in a directory only root can enter.</summary>
    private static readonly Lazy<string> s_worldReadableHelper = new(() =>
    {
        var source = Path.GetDirectoryName(HelperDll)!;
        var target = Directory.CreateTempSubdirectory("testlocks-helper-").FullName;
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        var readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(target, readable);
        foreach (var file in Directory.GetFiles(target)) File.SetUnixFileMode(file, readable);
        return Path.Combine(target, Path.GetFileName(HelperDll));
    });

    public int Id => _process.Id;

    public string StandardError
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Starts the TestHelper program with <paramref name="args"/> and the lock settings in <paramref name="env"/>.</summary>
    public static HelperProcess StartHelper(IDictionary<string, string> env, params string[] args)
        => OperatingSystem.IsWindows()
            ? Start(Path.Combine(AppContext.BaseDirectory, "TestLocks.TestHelper.exe"), args, env) // published beside the tests (build/wine-tests.sh)
            : Start("dotnet", [HelperDll, .. args], env);

    /// <summary>Starts the TestHelper program in <paramref name="workingDirectory"/>, as <c>dotnet test</c> starts each test
    /// project in its own output folder.</summary>
    public static HelperProcess StartHelperIn(string workingDirectory, IDictionary<string, string> env, params string[] args)
        => Start("dotnet", [HelperDll, .. args], env, workingDirectory);

    /// <summary>Starts the TestHelper program as the unprivileged user nobody (CI runs as root, which hides permission bugs).</summary>
    public static HelperProcess StartHelperAsNobody(IDictionary<string, string> env, params string[] args)
        => StartHelperAs("nobody", "nogroup", env, args);

    /// <summary>Starts the TestHelper program as the unprivileged user <paramref name="user"/> (a name or a bare uid) and
    /// group <paramref name="group"/>, with no capabilities and only the variables in <paramref name="env"/>.</summary>
    public static HelperProcess StartHelperAs(string user, string group, IDictionary<string, string> env, params string[] args)
    {
        // env -i: the child sees exactly these variables, none of root's.
        var variables = new Dictionary<string, string>(env) { ["HOME"] = "/tmp", ["DOTNET_CLI_HOME"] = "/tmp", ["PATH"] = Environment.GetEnvironmentVariable("PATH")! };
        string[] command = [$"--reuid={user}", $"--regid={group}", "--clear-groups", "env", "-i", .. variables.Select(kv => $"{kv.Key}={kv.Value}"), "dotnet", s_worldReadableHelper.Value, .. args];
        return Start("setpriv", command, new Dictionary<string, string>());
    }

    /// <summary>Starts Debian's Python (the one that sees python3-oslo.concurrency) on a script next to the tests.</summary>
    public static HelperProcess StartPython(string script, IDictionary<string, string> env, params string[] args)
        => Start("/usr/bin/python3", ["-u", Path.Combine(AppContext.BaseDirectory, "Interop", script), .. args], env);

    private static HelperProcess Start(string file, string[] args, IDictionary<string, string> env, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        // The child sees only the settings the test gives it, not the runner's.
        // TESTLOCKS_LOCK_STRATEGY stays: a suite run with a forced strategy forces it on its children too.
        foreach (var key in info.Environment.Keys.Where(k => (k.StartsWith("TESTLOCKS_", StringComparison.Ordinal) && k != "TESTLOCKS_LOCK_STRATEGY") || k == "OSLO_LOCK_PATH").ToList())
        {
            info.Environment.Remove(key);
        }
        foreach (var (k, v) in env) info.Environment[k] = v;
        return new HelperProcess(new Process { StartInfo = info });
    }

    /// <summary>Waits for the next stdout line that starts with <paramref name="prefix"/> and returns it.</summary>
    public async Task<string> WaitForLineAsync(string prefix, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(LineLimit);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cts.Token);
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"process {Id} did not print '{prefix}' (exited: {_process.HasExited}); stderr:\n{StandardError}");
        }
    }

    /// <summary>Whether a line that starts with <paramref name="prefix"/> has already been printed (consumes lines read).</summary>
    public bool HasPrinted(string prefix)
    {
        while (_lines.Reader.TryRead(out var line))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Runs <paramref name="action"/> on a thread that does not inherit the caller's execution context, as
    /// unrelated code would: locks held by the caller's flow do not count as held there.</summary>
    public static Task<T> RunInAnotherFlow<T>(Func<T> action)
    {
        // A thread of its own: a thread-pool task could be inlined into the caller's thread, and so its context.
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { result.SetResult(action()); }
            catch (Exception e) { result.SetException(e); }
        });
        using (ExecutionContext.SuppressFlow()) thread.Start();
        return result.Task;
    }

    /// <summary>Kills the process with SIGKILL: no cleanup code of its own runs.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    public async Task<int> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(LineLimit);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (ArgumentOutOfRangeException) when (OperatingSystem.IsWindows())
            {
                // Under wine, finding the tree reads every process's start time, and some wine processes have none
                // ("Not a valid Win32 FileTime"): the helpers start no children there, so the helper alone is enough.
                _process.Kill();
            }
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
