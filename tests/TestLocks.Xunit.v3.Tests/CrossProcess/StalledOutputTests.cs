using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using TestLocks.TestSupport.Terminal;

using TestLocks.TestSupport.CrossProcess;

namespace TestLocks.Xunit.Tests.CrossProcess;

/// <summary>
/// A live line must never hold up a test. Here <c>dotnet test</c> writes to a pipe that nobody reads (as under
/// <c>dotnet test | less</c>, or on a CI agent that stopped reading the job's output), filled to the last byte while a
/// test waits for a first lock; the test then waits for a second lock with a lock_timeout and a warn_after of 20 ms, so
/// that its wait lines outnumber what the live writer keeps. The wait must end by its timeout while the pipe is still
/// full, and once the pipe is read again the test process says how many live lines it dropped.
/// </summary>
public sealed partial class StalledOutputTests
{
    private const int LockTimeoutSeconds = 10;

    [Fact]
    public async Task A_test_whose_dotnet_test_output_nobody_reads_times_out_on_time_and_says_how_many_live_lines_it_dropped()
    {
        using var scenario = new Scenario();
        var events = Directory.CreateDirectory(Path.Combine(scenario.Directory, "events")).FullName;
        var gate = Path.Combine(scenario.Directory, "gate");
        using var changes = new FolderChanges(scenario.Directory);
        var entry = scenario.Hold("stall-entry");
        using var stall = scenario.Hold("stall-lock");

        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = scenario.Directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        // setsid: no controlling terminal, as on a CI agent; standard output is a pipe this test does not read yet.
        foreach (var a in new[] { "--wait", "bash", "-c", LiveWaitTests.V2Command("Fx.Stalled") }) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(TerminalRun.IsInherited).ToList()) start.Environment.Remove(name);
        start.Environment["TESTLOCKS_LOCK_PATH"] = scenario.LockPath;
        start.Environment["TESTLOCKS_LOCK_FILE_PREFIX"] = scenario.Prefix;
        start.Environment["TESTLOCKS_LOCK_TIMEOUT"] = LockTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        start.Environment["TESTLOCKS_WARN_AFTER"] = "0.02";
        start.Environment["TESTLOCKS_EVENTS"] = events;
        start.Environment[Fx.Journal.Variable] = scenario.Journal.Path;
        start.Environment["FIXTURE_GATE"] = gate;
        start.Environment["CI"] = "true";
        var output = new List<string>();
        var dropped = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (output) output.Add(line);
            if (DroppedLine().IsMatch(line)) dropped.TrySetResult(line);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (output) output.Add(line); };
        process.Start();
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        try
        {
            await changes.WaitForAsync("the test to wait for stall-entry", () =>
                scenario.Journal.Read().Any(e => e.What == "acquiring" && e.Detail == scenario.Prefix + "stall-entry"), process);
            var filled = FillPipe($"/proc/{process.Id}/fd/1");
            scenario.Release(entry);

            // Before the fix the test's own thread wrote its first wait line into the full pipe and stayed there.
            var waited = await changes.WaitForAsync($"the wait for stall-lock to end by its {LockTimeoutSeconds}s timeout while the output pipe is full", () =>
                Events(events).Where(e => e.GetProperty("event").GetString() == "timeout" && e.GetProperty("lock").GetString() == scenario.Prefix + "stall-lock")
                    .Select(e => (double?)e.GetProperty("waited").GetDouble()).FirstOrDefault(), process, TimeSpan.FromSeconds(LockTimeoutSeconds + 60));
            // The pipe is still full: nothing has read it since it was filled.
            Assert.InRange(waited, LockTimeoutSeconds, LockTimeoutSeconds + 10);
            // The non-blocking writes went through a descriptor of the test process's own: dotnet test's stays blocking.
            Assert.Equal(0, OpenFlags(process.Id, 1) & 0x800);

            process.BeginOutputReadLine();
            var report = await dropped.Task.WaitAsync(TimeSpan.FromMinutes(2));
            File.WriteAllText(gate, "");
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

            TestContext.Current.TestOutputHelper?.WriteLine($"pipe filled with {filled} more bytes; the wait timed out after {waited:0.000}s; {report}");
            Assert.True(filled > 0);
            Assert.True(int.Parse(DroppedLine().Match(report).Groups[1].Value, CultureInfo.InvariantCulture) > 0, report);
            lock (output)
            {
                Assert.True(process.ExitCode != 0, "The run passed although Fx.Stalled.Waits timed out:\n" + string.Join('\n', output));
                Assert.Contains(output, l => l.Contains("TestLocks.LockTimeoutException", StringComparison.Ordinal));
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            process.BeginOutputReadLine();
            lock (output) Assert.Fail($"{e.Message}\n{string.Join('\n', output.TakeLast(40))}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The terminal route: <c>dotnet test x.dll</c> in a terminal shows nothing of the test host, so the lines
    /// go to the controlling terminal, which a person stops with Ctrl+S while the test waits for its first lock.</summary>
    [Fact]
    public async Task A_test_whose_terminal_is_stopped_with_ctrl_s_times_out_on_time_and_says_how_many_live_lines_it_dropped()
    {
        using var scenario = new Scenario();
        var events = Directory.CreateDirectory(Path.Combine(scenario.Directory, "events")).FullName;
        var gate = Path.Combine(scenario.Directory, "gate");
        using var changes = new FolderChanges(scenario.Directory);
        var entry = scenario.Hold("stall-entry");
        using var stall = scenario.Hold("stall-lock");
        var dll = LiveWaitTests.Fixture("FixtureV2");
        using var run = TerminalRun.Start(scenario.Directory, $"dotnet test '{dll}' --filter 'FullyQualifiedName~Fx.Stalled.'", new Dictionary<string, string>
        {
            ["TESTLOCKS_LOCK_PATH"] = scenario.LockPath,
            ["TESTLOCKS_LOCK_FILE_PREFIX"] = scenario.Prefix,
            ["TESTLOCKS_LOCK_TIMEOUT"] = LockTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["TESTLOCKS_WARN_AFTER"] = "0.02",
            ["TESTLOCKS_EVENTS"] = events,
            [Fx.Journal.Variable] = scenario.Journal.Path,
            ["FIXTURE_GATE"] = gate,
        });
        var exited = run.Exited;

        await run.WaitForLineAsync(l => l.Contains($"Waiting for lock \"{scenario.Prefix}stall-entry\"", StringComparison.Ordinal), "the wait for stall-entry on the terminal");
        run.SendKey("C-s");
        // Ctrl+S reaches the terminal through script's pseudo-terminal: once output stops, the recording stops growing.
        scenario.Release(entry);
        double waited;
        try
        {
            waited = await changes.WaitForAsync($"the wait for stall-lock to end by its {LockTimeoutSeconds}s timeout while the terminal is stopped", () =>
                Events(events).Where(e => e.GetProperty("event").GetString() == "timeout" && e.GetProperty("lock").GetString() == scenario.Prefix + "stall-lock")
                    .Select(e => (double?)e.GetProperty("waited").GetDouble()).FirstOrDefault(), exited, TimeSpan.FromSeconds(LockTimeoutSeconds + 60));
        }
        finally
        {
            run.SendKey("C-q");
        }
        Assert.InRange(waited, LockTimeoutSeconds, LockTimeoutSeconds + 10);
        var report = await run.WaitForLineAsync(l => DroppedLine().IsMatch(l), "the count of dropped lines once the terminal runs again");
        File.WriteAllText(gate, "");
        await exited.WaitAsync(TimeSpan.FromMinutes(2));

        TestContext.Current.TestOutputHelper?.WriteLine($"the wait timed out after {waited:0.000}s; {report}");
        Assert.True(int.Parse(DroppedLine().Match(report).Groups[1].Value, CultureInfo.InvariantCulture) > 0, report);
    }

    /// <summary>Fills the pipe <paramref name="path"/> leads to, to the last byte: chunks of 4 KiB, then smaller ones,
    /// until a single byte does not fit. Returns the bytes written.</summary>
    private static int FillPipe(string path)
    {
        var fd = Open(path, 0x1 | 0x800 | 0x80000, 0); // O_WRONLY | O_NONBLOCK | O_CLOEXEC
        Assert.True(fd >= 0, $"cannot open {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            var filled = 0;
            var chunk = new byte[4096];
            Array.Fill(chunk, (byte)'.');
            for (var size = chunk.Length; size > 0; size /= 2)
            {
                while (true)
                {
                    var n = Write(fd, chunk, size);
                    if (n <= 0) break;
                    filled += (int)n;
                }
            }
            return filled;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>The flags of descriptor <paramref name="fd"/> of process <paramref name="pid"/> (its open file description's).</summary>
    private static int OpenFlags(int pid, int fd)
    {
        var line = File.ReadLines($"/proc/{pid}/fdinfo/{fd}").First(l => l.StartsWith("flags:", StringComparison.Ordinal));
        return Convert.ToInt32(line["flags:".Length..].Trim(), 8);
    }

    private static List<JsonElement> Events(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.jsonl").SelectMany(File.ReadAllLines).Where(l => l.EndsWith('}')).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [GeneratedRegex(@"\[TestLocks\] (\d+) live lines? (?:was|were) dropped here")]
    private static partial Regex DroppedLine();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>Wakes a waiter on every change under a folder (inotify), so that a condition on files there is checked
    /// again without polling.</summary>
    private sealed class FolderChanges : IDisposable
    {
        private readonly FileSystemWatcher _watcher;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public FolderChanges(string folder)
        {
            _watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName };
            FileSystemEventHandler changed = (_, _) => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            _watcher.Changed += changed;
            _watcher.Created += changed;
            _watcher.EnableRaisingEvents = true;
        }

        public Task WaitForAsync(string what, Func<bool> condition, Process process) =>
            WaitForAsync(what, () => condition() ? true : (bool?)null, process.WaitForExitAsync(), TimeSpan.FromMinutes(2));

        public Task<T> WaitForAsync<T>(string what, Func<T?> value, Process process, TimeSpan limit)
            where T : struct => WaitForAsync(what, value, process.WaitForExitAsync(), limit);

        /// <summary>Waits until <paramref name="value"/> is not null; fails when <paramref name="exited"/> completes first
        /// or after <paramref name="limit"/>.</summary>
        public async Task<T> WaitForAsync<T>(string what, Func<T?> value, Task exited, TimeSpan limit)
            where T : struct
        {
            using var timeout = new CancellationTokenSource(limit);
            while (true)
            {
                var changed = Volatile.Read(ref _changed).Task;
                if (value() is { } found) return found;
                if (exited.IsCompleted) throw new InvalidOperationException($"Waiting for {what}: the run ended first.");
                try
                {
                    await Task.WhenAny(changed, exited).WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"Waiting for {what}: not within {limit.TotalSeconds:0}s.");
                }
            }
        }

        public void Dispose() => _watcher.Dispose();
    }
}
