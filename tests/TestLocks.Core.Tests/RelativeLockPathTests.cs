using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>
/// A relative lock_path must never split one run: <c>dotnet test</c> starts each test project in its own output folder,
/// so a path resolved against the working directory gives every project a lock folder of its own. In an INI file it
/// means the file's folder; from the environment or code it is refused with the fix.
/// </summary>
public sealed class RelativeLockPathTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = new();

    [Fact]
    public async Task Test_projects_in_different_folders_share_the_relative_lock_path_of_their_testlocks_conf()
    {
        using var dir = new LockDir();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "testlocks.conf"), "[oslo_concurrency]\nlock_path = locks\n", TestContext.Current.CancellationToken);
        var projectA = OutputFolder(dir, "ProjectA");
        var projectB = OutputFolder(dir, "ProjectB");
        var name = LockDir.UniqueName("relative");
        var lockFile = Path.Combine(dir.Path, "locks", name);

        // Each finds ../../../../testlocks.conf from its own output folder, as a test project's process does.
        await using var holder = HelperProcess.StartHelperIn(projectA, new Dictionary<string, string>(), "hold", name);
        await holder.WaitForLineAsync("HELD");
        Assert.True(File.Exists(lockFile), $"the lock file is not in the conf file's folder; {Listing(dir.Path)}");

        await using var waiter = HelperProcess.StartHelperIn(projectB, new Dictionary<string, string>(), "wait", name);
        await waiter.WaitForLineAsync("WAITING");
        var acquired = waiter.WaitForLineAsync("ACQUIRED");
        var blocked = ProcLocks.WaitForBlockedAsync(lockFile, expectedWaiters: 1);
        Assert.Same(blocked, await Task.WhenAny(blocked, acquired)); // the second project waits for the first
        await blocked;

        await holder.SendAsync("release");
        await acquired;
        Assert.Equal(0, await waiter.WaitForExitAsync());
        Assert.Single(Directory.GetDirectories(dir.Path, "locks", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_relative_lock_path_from_the_environment_is_refused_by_every_test_project_with_the_fix()
    {
        using var dir = new LockDir();
        var env = new Dictionary<string, string> { ["TESTLOCKS_LOCK_PATH"] = "locks" };
        var name = LockDir.UniqueName("relative-env");

        await using var a = HelperProcess.StartHelperIn(OutputFolder(dir, "ProjectA"), env, "wait", name);
        await using var b = HelperProcess.StartHelperIn(OutputFolder(dir, "ProjectB"), env, "wait", name);

        foreach (var child in new[] { a, b })
        {
            Assert.Equal(3, await child.WaitForExitAsync());
            var error = child.StandardError;
            Assert.StartsWith("TestLocksConfigurationException:", error, StringComparison.Ordinal);
            Assert.Contains("environment variable TESTLOCKS_LOCK_PATH", error, StringComparison.Ordinal);
            Assert.Contains("\"locks\" is a relative path", error, StringComparison.Ordinal);
            Assert.Contains("Fix:", error, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetDirectories(dir.Path, "locks", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_relative_lock_path_in_an_INI_file_is_resolved_against_the_files_folder()
    {
        using var dir = new LockDir();
        var conf = Path.Combine(dir.Path, "etc", "tempest.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(conf)!);
        File.WriteAllText(conf, "[DEFAULT]\nlock_path = ../data/locks\n");

        var s = TestLocksSettings.Load(conf, NoEnvironment);

        Assert.Equal(Path.Combine(dir.Path, "data", "locks"), s.LockPath);
        Assert.Equal($"[DEFAULT] lock_path in {conf} (line 2)", s.OriginOf(nameof(s.LockPath)));
    }

    [Theory]
    [InlineData("OSLO_LOCK_PATH")]
    [InlineData("TESTLOCKS_LOCK_PATH")]
    public void A_relative_lock_path_from_either_variable_is_refused_naming_it(string variable)
    {
        var e = Assert.Throws<TestLocksConfigurationException>(() =>
            TestLocksSettings.Load(null, new Dictionary<string, string?> { [variable] = "data/locks", ["XDG_CONFIG_HOME"] = "/nonexistent" }));
        Assert.Contains($"environment variable {variable}", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"data/locks\" is a relative path", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{variable}=\"$PWD/data/locks\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_lock_path_in_code_is_refused_naming_the_property()
    {
        var settings = Assert.Throws<TestLocksConfigurationException>(() => new TestLocksSettings { LockPath = "locks" });
        Assert.Contains("TestLocksSettings.LockPath", settings.Message, StringComparison.Ordinal);
        Assert.Contains("\"locks\" is a relative path", settings.Message, StringComparison.Ordinal);

        using var dir = new LockDir();
        var option = Assert.Throws<TestLocksConfigurationException>(() => dir.Factory.CreateLock("x", new LockOptions { LockPath = "locks" }));
        Assert.Contains("LockOptions.LockPath", option.Message, StringComparison.Ordinal);
        Assert.Contains("\"locks\" is a relative path", option.Message, StringComparison.Ordinal);
    }

    private static string OutputFolder(LockDir dir, string project) =>
        Directory.CreateDirectory(Path.Combine(dir.Path, project, "bin", "Release", "net10.0")).FullName;

    private static string Listing(string root) =>
        "files: " + string.Join(", ", Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories));
}
