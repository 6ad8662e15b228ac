using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>Lock names become oslo's lock file names; bad names and bad lock paths get errors that say what to fix.</summary>
public sealed class NamingAndLockPathTests
{
    [Theory]
    [InlineData("availability_zone", "tempest", "tempest-availability_zone")]
    [InlineData("availability_zone", "tempest-", "tempest-availability_zone")]
    [InlineData("availability_zone", "", "availability_zone")]
    [InlineData("a/b", "x-", "x-a_b")]
    [InlineData("../../etc/passwd", "", ".._.._etc_passwd")]
    [InlineData("..", "tempest-", "tempest-..")]
    public void Lock_names_map_to_the_file_names_oslo_uses(string name, string prefix, string expected)
    {
        using var dir = new LockDir();
        var @lock = dir.Factory.CreateLock(name, new LockOptions { Prefix = prefix });
        Assert.Equal(expected, @lock.Name);
        Assert.Equal(Path.Combine(dir.Path, expected), @lock.Location);
        using (@lock.Acquire()) { }
        Assert.True(File.Exists(Path.Combine(dir.Path, expected)));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path)); // nothing written outside, nothing else inside
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a\0b", "NUL")]
    [InlineData(".", "directory entry")]
    [InlineData("..", "directory entry")]
    public void Names_that_cannot_be_a_lock_file_are_refused_with_the_reason(string name, string reason)
    {
        using var dir = new LockDir();
        var e = Assert.Throws<ArgumentException>(() => dir.Factory.CreateLock(name, new LockOptions { Prefix = "" }));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_the_filesystem_allows_is_refused()
    {
        using var dir = new LockDir();
        var e = Assert.Throws<ArgumentException>(() => dir.Factory.CreateLock(new string('x', 250), new LockOptions { Prefix = "tempest-" }));
        Assert.Contains("255", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => dir.Factory.CreateLock("ok", new LockOptions { Prefix = "a/b" }));
    }

    [Fact]
    public void Names_and_prefixes_that_are_not_valid_UTF16_are_refused()
    {
        // A lone surrogate has no UTF-8 form: "\uD800" and "\uD801" would both become the file "\uFFFD" while keeping
        // two in-process queues, so two holders of "one" lock in one process.
        using var dir = new LockDir();
        foreach (var (name, prefix, what) in new[] { ("\uD800", "", "Lock name"), ("zone-\uDC00x", "", "Lock name"), ("zone", "tempest\uD801-", "Lock file prefix") })
        {
            var e = Assert.Throws<ArgumentException>(() => dir.Factory.CreateLock(name, new LockOptions { Prefix = prefix }));
            Assert.StartsWith(what, e.Message, StringComparison.Ordinal);
            Assert.Contains("lone UTF-16 surrogate", e.Message, StringComparison.Ordinal);
        }
        var settingsPrefix = new LockFactory(dir.Settings with { LockFilePrefix = "\uDBFF" });
        Assert.Throws<ArgumentException>(() => settingsPrefix.CreateLock("zone"));

        var emoji = dir.Factory.CreateLock("zone-\uD83D\uDE00", new LockOptions { Prefix = "" }); // a surrogate pair is fine
        using (emoji.Acquire()) { }
        Assert.True(File.Exists(dir.File("zone-\U0001F600")));
    }

    [Fact]
    public void A_missing_lock_path_is_created_with_its_parents_on_first_use()
    {
        using var dir = new LockDir();
        var deep = Path.Combine(dir.Path, "a", "b", "c");
        var factory = new LockFactory(new TestLocksSettings { LockPath = deep });
        using (factory.CreateLock(LockDir.UniqueName("deep")).Acquire()) { }
        Assert.True(Directory.Exists(deep));
    }

    [Fact]
    public void A_lock_path_that_is_a_file_gets_an_error_naming_it_and_the_setting()
    {
        using var dir = new LockDir();
        var file = dir.File("not-a-dir");
        File.WriteAllText(file, "");
        var factory = new LockFactory(new TestLocksSettings { LockPath = file });
        var e = Assert.Throws<LockPathException>(() => factory.CreateLock(LockDir.UniqueName("f")).Acquire());
        Assert.Contains($"'{file}' is a file", e.Message, StringComparison.Ordinal);
        Assert.Contains("TestLocksSettings.LockPath", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lock_file_that_is_a_symbolic_link_is_refused()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("link");
        var target = dir.File("elsewhere");
        File.CreateSymbolicLink(dir.File(name), target);
        var e = Assert.Throws<LockPathException>(() => dir.Factory.CreateLock(name).Acquire());
        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target), "a lock followed a link out of lock_path");
    }

    [Fact]
    public async Task An_unprivileged_user_gets_an_error_naming_the_path_the_ancestor_the_setting_and_the_fix()
    {
        // The seed's failure: lock_path copied from devstack, where /opt/stack is not ours. CI runs as root, so the
        // child drops to nobody; the directory it may not create sits in a root-owned 0755 directory.
        using var dir = new LockDir();
        var rootOwned = Path.Combine(dir.Path, "opt");
        Directory.CreateDirectory(rootOwned);
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var lockPath = Path.Combine(rootOwned, "stack", "data", "tempest");
        var conf = dir.File("tempest.conf");
        await File.WriteAllTextAsync(conf, $"[DEFAULT]\nlog_dir = /tmp\n\n[oslo_concurrency]\nlock_path = {lockPath}\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(conf, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var child = HelperProcess.StartHelperAsNobody(new Dictionary<string, string> { ["TESTLOCKS_CONFIG"] = conf }, "hold", "availability_zone");
        Assert.Equal(3, await child.WaitForExitAsync());
        var error = child.StandardError;
        Assert.StartsWith("LockPathException:", error, StringComparison.Ordinal);
        Assert.Contains($"'{lockPath}'", error, StringComparison.Ordinal);                    // the path
        Assert.Contains($"'{Path.Combine(rootOwned, "stack")}'", error, StringComparison.Ordinal); // the ancestor that failed
        Assert.Contains("Permission denied", error, StringComparison.Ordinal);                 // why
        Assert.Contains($"[oslo_concurrency] lock_path in {conf} (line 5)", error, StringComparison.Ordinal); // the setting
        Assert.Contains("Fix:", error, StringComparison.Ordinal);                              // the fix
        Assert.False(Directory.Exists(Path.Combine(rootOwned, "stack")));
    }

    [Fact]
    public async Task An_unprivileged_user_cannot_take_a_lock_file_another_user_owns_and_is_told_why()
    {
        using var dir = new LockDir();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED); // 0755, root-owned
        var name = LockDir.UniqueName("owned");
        using (dir.Factory.CreateLock(name).Acquire()) { } // root creates the lock file 0644
        await using var child = HelperProcess.StartHelperAsNobody(dir.Environment(), "hold", name);
        Assert.Equal(3, await child.WaitForExitAsync());
        Assert.Contains($"Cannot open lock file '{dir.File(name)}'", child.StandardError, StringComparison.Ordinal);
        Assert.Contains("environment variable TESTLOCKS_LOCK_PATH", child.StandardError, StringComparison.Ordinal);
    }
}
