using System.Text.Json;

namespace TestLocks.Diagnostics.Tests;

/// <summary>The run journal: off by default; when on, one JSON line per wait, acquire, release and timeout.</summary>
public sealed class JournalTests
{
    [Fact]
    public async Task Each_wait_acquire_release_and_timeout_is_one_line_of_the_process_own_file()
    {
        using var dir = new LockDir();
        var events = Directory.CreateTempSubdirectory("testlocks-events-").FullName;
        var factory = new LockFactory(dir.Settings with { EventsPath = events });
        var name = LockDir.UniqueName("db");
        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name, "write", "Migrations.test_upgrade");
        var holderPid = (await holder.WaitForLineAsync("HELD ")).Split(' ')[1];

        Assert.Throws<LockTimeoutException>(() => factory.CreateLock(name, new LockOptions { Owner = "T.first" }).Acquire(TimeSpan.FromMilliseconds(500)));
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var acquiring = factory.CreateReaderWriterLock(name, new LockOptions { Owner = "T.second", OnWaiting = _ => waiting.TrySetResult() }).ReadLock.AcquireAsync().AsTask();
        await waiting.Task;
        await holder.SendAsync("release");
        (await acquiring).Dispose();

        var file = Assert.Single(Directory.GetFiles(events));
        Assert.StartsWith($"{Environment.MachineName}-{Environment.ProcessId}-", Path.GetFileName(file));
        var lines = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["process", "wait", "timeout", "wait", "acquire", "release"], lines.Select(l => l.GetProperty("event").GetString()));
        Assert.All(lines, l =>
        {
            Assert.Equal(Environment.MachineName, l.GetProperty("host").GetString());
            Assert.Equal(Environment.ProcessId, l.GetProperty("pid").GetInt32());
            Assert.True(DateTime.UtcNow - l.GetProperty("time").GetDateTime().ToUniversalTime() < TimeSpan.FromMinutes(1));
        });
        // Under VSTest's testhost.dll the process is known by its test project: the assembly that uses TestLocks.
        Assert.Equal("TestLocks.Diagnostics.Tests", lines[0].GetProperty("project").GetString());
        Assert.All(lines.Skip(1), l => Assert.Equal(name, l.GetProperty("lock").GetString()));
        Assert.Equal(["T.first", "T.first", "T.second", "T.second", "T.second"], lines.Skip(1).Select(l => l.GetProperty("test").GetString()));
        Assert.Equal(["write", "write", "read", "read", "read"], lines.Skip(1).Select(l => l.GetProperty("mode").GetString()));
        Assert.Contains($"pid {holderPid}", lines[1].GetProperty("holder").GetString());
        Assert.Contains($"pid {holderPid}", lines[2].GetProperty("holder").GetString());
        Assert.True(lines[2].GetProperty("waited").GetDouble() >= 0.5);
        Assert.True(lines[4].GetProperty("waited").GetDouble() > 0);
        Assert.True(lines[5].GetProperty("held").GetDouble() >= 0);
    }

    [Fact]
    public void The_journal_is_off_by_default_and_its_folder_comes_from_the_ini_file_or_the_environment()
    {
        using var dir = new LockDir();
        Assert.Null(TestLocksSettings.Load(environment: new Dictionary<string, string?> { ["TESTLOCKS_LOCK_PATH"] = dir.Path, ["TESTLOCKS_CONFIG"] = null }).EventsPath);

        var ini = Path.Combine(dir.Path, "testlocks.conf");
        File.WriteAllText(ini, "[testlocks]\nevents = run-events\n");
        var fromFile = TestLocksSettings.Load(ini, new Dictionary<string, string?>());
        Assert.Equal(Path.Combine(dir.Path, "run-events"), fromFile.EventsPath);   // relative: the file's folder
        Assert.Contains("[testlocks] events in", fromFile.OriginOf(nameof(TestLocksSettings.EventsPath)));

        var fromEnvironment = TestLocksSettings.Load(ini, new Dictionary<string, string?> { ["TESTLOCKS_EVENTS"] = "/tmp/shard-events" });
        Assert.Equal("/tmp/shard-events", fromEnvironment.EventsPath);

        var relative = Assert.Throws<TestLocksConfigurationException>(() => TestLocksSettings.Load(ini, new Dictionary<string, string?> { ["TESTLOCKS_EVENTS"] = "events" }));
        Assert.Contains("environment variable TESTLOCKS_EVENTS", relative.Message);
        Assert.Contains("relative path", relative.Message);
        Assert.Contains("Fix: set an absolute path", relative.Message);
    }
}
