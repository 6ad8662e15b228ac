using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>Settings from a tempest.conf-style INI file, the environment and code, each remembering its origin.</summary>
public sealed class ConfigurationTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = new();

    [Fact]
    public void A_tempest_conf_sets_lock_path_and_disable_process_locking_and_the_testlocks_section_the_rest()
    {
        using var dir = new LockDir();
        var conf = Write(dir, """
            [DEFAULT]
            debug = true

            [oslo_concurrency]
            lock_path = /tmp/tempest-lock
            disable_process_locking = yes

            [testlocks]
            lock_file_prefix = tempest-
            lock_timeout = 90.5
            warn_after = 10
            """);
        var s = TestLocksSettings.Load(conf, NoEnvironment);
        Assert.Equal("/tmp/tempest-lock", s.LockPath);
        Assert.True(s.DisableProcessLocking);
        Assert.Equal("tempest-", s.LockFilePrefix);
        Assert.Equal(TimeSpan.FromSeconds(90.5), s.LockTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), s.WarnAfter);
        Assert.Equal(conf, s.ConfigFile);
        Assert.Equal($"[oslo_concurrency] lock_path in {conf} (line 5)", s.OriginOf(nameof(s.LockPath)));
    }

    [Fact]
    public void The_older_DEFAULT_lock_path_is_accepted_and_oslo_concurrency_wins_over_it()
    {
        using var dir = new LockDir();
        Assert.Equal("/tmp/old", TestLocksSettings.Load(Write(dir, "[DEFAULT]\nlock_path = /tmp/old\n"), NoEnvironment).LockPath);
        Assert.Equal("/tmp/new", TestLocksSettings.Load(Write(dir, "[DEFAULT]\nlock_path = /tmp/old\n[oslo_concurrency]\nlock_path = /tmp/new\n"), NoEnvironment).LockPath);
    }

    [Fact]
    public void The_environment_overrides_the_file_and_code_overrides_both()
    {
        using var dir = new LockDir();
        var conf = Write(dir, "[oslo_concurrency]\nlock_path = /tmp/from-file\n[testlocks]\nlock_file_prefix = file-\n");
        var env = new Dictionary<string, string?>
        {
            ["OSLO_LOCK_PATH"] = "/tmp/from-oslo-env",
            ["TESTLOCKS_LOCK_FILE_PREFIX"] = "env-",
            ["TESTLOCKS_DISABLE_PROCESS_LOCKING"] = "1",
        };
        var s = TestLocksSettings.Load(conf, env);
        Assert.Equal("/tmp/from-oslo-env", s.LockPath);
        Assert.Equal("environment variable OSLO_LOCK_PATH", s.OriginOf(nameof(s.LockPath)));
        Assert.Equal("env-", s.LockFilePrefix);
        Assert.True(s.DisableProcessLocking);

        env["TESTLOCKS_LOCK_PATH"] = "/tmp/from-testlocks-env";
        Assert.Equal("/tmp/from-testlocks-env", TestLocksSettings.Load(conf, env).LockPath);

        var coded = s with { LockPath = "/tmp/from-code" };
        Assert.Equal("/tmp/from-code", coded.LockPath);
        Assert.Equal("code (TestLocksSettings.LockPath)", coded.OriginOf(nameof(s.LockPath)));
    }

    [Fact]
    public void With_nothing_configured_locks_work_on_a_private_per_user_directory()
    {
        var s = TestLocksSettings.Load(null, new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = "/nonexistent" });
        Assert.Equal("/tmp/testlocks-" + Platform.Linux.LinuxNative.Geteuid(), s.LockPath); // no XDG_RUNTIME_DIR in this environment
        Assert.True(s.IsDefaultLockPath);
        Assert.Contains("default", s.OriginOf(nameof(s.LockPath)), StringComparison.Ordinal);
        using (new LockFactory(s).CreateLock(LockDir.UniqueName("default")).Acquire()) { }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(s.LockPath));
    }

    [Fact]
    public async Task TESTLOCKS_CONFIG_names_the_file_child_processes_read()
    {
        using var dir = new LockDir();
        var conf = Write(dir, $"[oslo_concurrency]\nlock_path = {dir.Path}/from-conf\n");
        await using var child = HelperProcess.StartHelper(new Dictionary<string, string> { ["TESTLOCKS_CONFIG"] = conf }, "settings");
        var line = await child.WaitForLineAsync("lock_path=");
        Assert.Equal($"lock_path={dir.Path}/from-conf ([oslo_concurrency] lock_path in {conf} (line 2))", line);
    }

    [Fact]
    public void A_malformed_INI_file_gets_an_error_naming_the_file_and_line()
    {
        using var dir = new LockDir();
        var conf = Write(dir, "[oslo_concurrency]\nlock_path = /tmp/x\nthis line is not ini\n");
        var e = Assert.Throws<TestLocksConfigurationException>(() => TestLocksSettings.Load(conf, NoEnvironment));
        Assert.Contains(conf, e.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_key_gets_an_error_naming_the_line()
    {
        using var dir = new LockDir();
        var conf = Write(dir, "[oslo_concurrency]\nlock_path = /tmp/x\nlock_path = /tmp/y\n");
        var e = Assert.Throws<TestLocksConfigurationException>(() => TestLocksSettings.Load(conf, NoEnvironment));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[oslo_concurrency]\ndisable_process_locking = maybe\n", "line 2", "true or false")]
    [InlineData("[testlocks]\nlock_timeout = soon\n", "line 2", "seconds")]
    [InlineData("[testlocks]\nwarn_after = 0\n", "line 2", "positive")]
    [InlineData("[testlocks]\nlock_prefix = tempest-\n", "line 2", "lock_file_prefix")]
    [InlineData("[testlocks]\nlock_path = /tmp/x\n", "line 2", "lock_path is oslo's option and is read where oslo reads it: move the line under [oslo_concurrency].")]
    [InlineData("lock_path = /tmp/x\n", "line 1", "is outside any section, so nothing reads it. Put it under [oslo_concurrency].")]
    [InlineData("; pools\nwarn_after = 5\n[testlocks.pools]\ndb = a, b\n", "line 2", "Put it under [testlocks].")]
    public void Invalid_values_and_unknown_options_name_the_line_and_what_is_valid(string ini, string line, string hint)
    {
        using var dir = new LockDir();
        var e = Assert.Throws<TestLocksConfigurationException>(() => TestLocksSettings.Load(Write(dir, ini), NoEnvironment));
        Assert.Contains(line, e.Message, StringComparison.Ordinal);
        Assert.Contains(hint, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_environment_value_names_the_variable()
    {
        var e = Assert.Throws<TestLocksConfigurationException>(() => TestLocksSettings.Load(null,
            new Dictionary<string, string?> { ["TESTLOCKS_LOCK_TIMEOUT"] = "-5", ["XDG_CONFIG_HOME"] = "/nonexistent" }));
        Assert.Contains("environment variable TESTLOCKS_LOCK_TIMEOUT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_named_by_TESTLOCKS_CONFIG_is_an_error_naming_the_variable()
    {
        var e = Assert.Throws<TestLocksConfigurationException>(() => TestLocksSettings.Load(null,
            new Dictionary<string, string?> { ["TESTLOCKS_CONFIG"] = "/nonexistent/tempest.conf" }));
        Assert.Contains("TESTLOCKS_CONFIG", e.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/tempest.conf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_backend_scheme_or_a_missing_backend_package_says_what_to_use()
    {
        var unknown = Assert.Throws<TestLocksConfigurationException>(() =>
            new LockFactory(new TestLocksSettings { BackendUrl = "etcd3+http://user:secret@host:2379" }).CreateLock("x"));
        Assert.Contains("postgresql://", unknown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", unknown.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<TestLocksConfigurationException>(() =>
            new LockFactory(new TestLocksSettings { BackendUrl = "redis://:secret@127.0.0.1:6379" }).CreateLock("x"));
        Assert.Contains("dotnet add package TestLocks.Redis", missing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_process_locking_disabled_two_processes_hold_the_same_lock_at_once()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("disabled");
        var env = dir.Environment(("TESTLOCKS_DISABLE_PROCESS_LOCKING", "true"));
        await using var a = HelperProcess.StartHelper(env, "hold", name);
        await using var b = HelperProcess.StartHelper(env, "hold", name);
        await a.WaitForLineAsync("HELD");
        await b.WaitForLineAsync("HELD");
        Assert.False(File.Exists(dir.File(name)), "no lock file is written when process locking is disabled");
    }

    private static string Write(LockDir dir, string text)
    {
        var path = dir.File($"conf-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text.Replace("\r\n", "\n", StringComparison.Ordinal));
        return path;
    }
}
