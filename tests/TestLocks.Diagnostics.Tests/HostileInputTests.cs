using System.Globalization;
using System.Text;
using System.Text.Json;
using TestLocks.Diagnostics.Tests.Infrastructure;

namespace TestLocks.Diagnostics.Tests;

/// <summary>
/// What anyone who can write a lock file, a file name in lock_path or a journal line can make the library and the
/// installed testlocks command do: nothing but show it as visible text, skip it with a warning, or refuse it.
/// </summary>
public sealed class HostileInputTests(InstalledTool tool)
{
    /// <summary>A holder record's owner as a hostile writer makes it: clear the screen, set the window title, colour
    /// through the C1 CSI, reverse what follows (bidi override), and forge a line of its own.</summary>
    private const string HostileOwner = "Evil\u001b[2J\u001b]0;owned\u0007\u009b31m\u202eesrever\r\nFAKE line";

    [Fact]
    public async Task A_holder_record_with_terminal_escapes_is_shown_as_visible_text_by_status_run_the_wait_notice_and_the_timeout()
    {
        using var dir = new LockDir();
        var env = dir.Environment();
        await using var holder = HelperProcess.StartHelper(env, "hold", "db", "write", "Migrations.test_upgrade");
        var pid = int.Parse((await holder.WaitForLineAsync("HELD ")).Split(' ')[1], CultureInfo.InvariantCulture);
        WriteRecord(dir.File("db"), pid, HostileOwner);
        File.WriteAllText(dir.File("evil\u001b[2J\u202egnp.exe"), ""); // a lock file name is anyone's to choose too

        var status = await tool.RunAsync(env, "status", "--sample", "0");
        var json = await tool.RunAsync(env, "status", "--json", "--sample", "0");
        var run = await tool.RunAsync(env, "run", "--lock", "db", "--timeout", "0.3", "--", "echo", "never");
        var notices = new List<string>();
        var timeout = Assert.Throws<LockTimeoutException>(() =>
            dir.Factory.CreateLock("db", new LockOptions { OnWaiting = n => { lock (notices) notices.Add(n.ToString()); } }).Acquire(TimeSpan.FromSeconds(0.3)));

        Assert.True(status.Exit == 0, status.Error);
        AssertVisible(status.Output);
        Assert.Contains($"held by pid {pid} on {Environment.MachineName} (Evil\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202eesrever\\x0d\\x0aFAKE line)", status.Output);
        Assert.Contains("evil\\x1b[2J\\u202egnp.exe", status.Output);
        Assert.True(json.Exit == 0, json.Error);
        AssertVisible(json.Output);
        var db = JsonDocument.Parse(json.Output).RootElement.EnumerateArray().Single(l => l.GetProperty("lock").GetString() == "db");
        Assert.StartsWith("Evil\\x1b[2J", db.GetProperty("test").GetString());
        Assert.Equal(75, run.Exit);
        AssertVisible(run.Error);
        Assert.Contains("Waiting for lock \"db\"", run.Error);
        Assert.Contains("(Evil\\x1b[2J", run.Error);
        AssertVisible(timeout.Message);
        Assert.Contains("(Evil\\x1b[2J", timeout.Message);
        lock (notices)
        {
            Assert.NotEmpty(notices);
            Assert.All(notices, AssertVisible);
        }
    }

    [Fact]
    public async Task Report_skips_each_malformed_journal_line_with_a_warning_naming_its_file_and_line_and_writes_the_rest()
    {
        var events = Directory.CreateDirectory(Path.Combine(tool.Root, $"events-{Guid.NewGuid():N}")).FullName;
        var file = Path.Combine(events, "ci-3-42-1.jsonl");
        string[] lines =
        [
            """{"time":"2026-11-30T10:04:05.000Z","event":"process","host":"ci-3","pid":42,"command":"testhost"}""",
            """{"time":"2026-11-30T10:04:05.100Z","event":"wait","host":"ci-3","pid":42,"test":"T.A","lock":"az","mode":"write"}""",
            """{"time":"2026-11-30T10:04:06.100Z","event":"acquire","host":"ci-3","pid":42,"test":"T.A","lock":"az","mode":"write","waited":1.0}""",
            """{"time":"2026-11-30T10:04:07.000Z","event":"timeout","host":"ci-3","pid":42,"test":"T.B","lock":"db","mode":"write","waited":1e300}""",
            """{"time":"2026-11-30T10:04:07.000Z","event":"timeout","host":"ci-3","pid":42,"test":"T.B","lock":"db","mode":"write","waited":1e11}""",
            """{"time":"0001-01-01T00:00:00.000Z","event":"abandon","host":"ci-3","pid":42,"test":"T.C","lock":"db","mode":"write","waited":5}""",
            """{"time":"2026-11-30T10:04:07.000Z","event":"timeout","test":"T.D","lock":"db","waited":-3}""",
            """{"time":"2026-11-30T10:04:07.000Z","event":5}""",
            """{"time":12,"event":"wait"}""",
            """{"time":"yesterday","event":"wait"}""",
            """{"time":"2026-11-30T10:04:07.000Z","event":"wait","pid":1e30,"lock":{"a":1},"test":["x"]}""",
            """[1,2,3]""",
            """null""",
            """{"time":"2026-11-30T10:04:07.000Z","event":"release""",
            "\u001b[2J{not json",
            """{"time":"2026-11-30T10:04:08.100Z","event":"release","host":"ci-3","pid":42,"test":"T.A","lock":"az","mode":"write","held":2.0}""",
        ];
        File.WriteAllLines(file, lines);
        var page = Path.Combine(events, "report.html");

        var (exit, output, error) = await tool.RunAsync(new Dictionary<string, string>(), "report", events, "-o", page);

        Assert.True(exit == 0, error);
        Assert.Contains("(1 processes, 1 holds, ", output);
        Assert.True(File.Exists(page));
        AssertVisible(error);
        foreach (var line in new[] { 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15 })
        {
            Assert.Contains($"testlocks report: warning: skipped {file}:{line}: ", error);
        }
        foreach (var line in new[] { 1, 2, 3, 11, 16 })
        {
            Assert.DoesNotContain($"{file}:{line}: ", error);
        }
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("db/../../x")]
    public async Task Status_refuses_a_path_that_is_no_lock_name_with_exit_code_2_and_says_what_to_give(string name)
    {
        using var dir = new LockDir();

        var (exit, output, error) = await tool.RunAsync(dir.Environment(), "status", "--sample", "0", name);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains($"testlocks status: '{name}' is a path, not a lock name. Give a lock's name as the tests name it", error);
    }

    [Theory]
    [InlineData("--timeout abc", "--timeout abc is not a number of seconds; give 0 or more, for example --timeout 300.")]
    [InlineData("--timeout -1", "--timeout -1 is not a number of seconds")]
    [InlineData("--timeout 1e300", "--timeout 1e300 is not a number of seconds")]
    [InlineData("--slots 0", "--slots 0 is not a slot count; give a whole number from 1 to 64, for example --slots 3.")]
    [InlineData("--slots many", "--slots many is not a slot count")]
    [InlineData("--lockk db", "'--lockk' is not an option of testlocks run. The command goes after --: testlocks run --lock NAME -- COMMAND.")]
    public async Task Run_with_a_mistyped_option_exits_2_names_the_option_and_never_runs_its_command(string options, string message)
    {
        // A script tells `run`'s own failure from its command's by the exit code: a usage error is 2, not System.CommandLine's 1
        // (which any command may return), and the one line that says what was wrong is not buried above the whole help.
        using var dir = new LockDir();
        var marker = Path.Combine(dir.Path, "ran");

        var (exit, output, error) = await tool.RunAsync(dir.Environment(), ["run", "--lock", "db", .. options.Split(' '), "--", "touch", marker]);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains($"testlocks: {message}", error);
        Assert.Contains("See 'testlocks run --help'.", error);
        Assert.DoesNotContain("Options:", error);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Run_with_an_empty_lock_name_says_to_give_the_resource_a_name()
    {
        using var dir = new LockDir();

        var (exit, _, error) = await tool.RunAsync(dir.Environment(), "run", "--lock", "", "--", "true");

        Assert.Equal(2, exit);
        Assert.Contains("testlocks run: A lock name cannot be empty. Give the shared resource a name, for example \"availability_zone\".", error);
        Assert.DoesNotContain("Parameter", error);
    }

    [Fact]
    public async Task Status_shows_a_lock_whose_name_has_a_slash_as_oslo_names_its_file()
    {
        using var dir = new LockDir();
        File.WriteAllText(dir.File("db_main"), "");

        var (exit, output, error) = await tool.RunAsync(dir.Environment(), "status", "--sample", "0", "db/main");

        Assert.True(exit == 0, error);
        Assert.Contains("  db_main  free", output);
    }

    /// <summary>Writes a holder record as a hostile writer would, over the one at the start of the lock file, naming
    /// the process that holds the lock (waiters use a record only when the kernel names the same holder).</summary>
    private static void WriteRecord(string path, int pid, string owner)
    {
        var record = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["testlocks"] = 1, ["pid"] = pid, ["host"] = Environment.MachineName, ["mode"] = "write", ["owner"] = owner,
            ["since"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        });
        var bytes = Encoding.UTF8.GetBytes(record.PadRight(511) + "\n");
        Assert.Equal(512, bytes.Length);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        RandomAccess.Write(handle, bytes, 0);
    }

    /// <summary>No character that a terminal obeys or that reorders text: C0 controls but the line breaks between lines,
    /// DEL, C1 controls, format characters (bidi overrides), line and paragraph separators.</summary>
    private static void AssertVisible(string text)
    {
        var lines = text.Split('\n');
        foreach (var line in lines)
        {
            var bad = line.TrimEnd('\r').FirstOrDefault(c => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
            Assert.True(bad == default, $"U+{(int)bad:X4} in: {line}");
            Assert.False(line.StartsWith("FAKE", StringComparison.Ordinal), $"a forged line: {line}");
        }
    }
}
