using System.Diagnostics;
using System.Globalization;
using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>
/// The lock_path nobody configured is the user's own: <c>$XDG_RUNTIME_DIR/testlocks</c> when the session has a runtime
/// directory, else <c>/tmp/testlocks-&lt;uid&gt;</c>, which another local user could create first. A default directory that
/// is not private (another owner, writable by others, a link) is refused; a configured lock_path is the user's choice.
/// </summary>
public sealed class DefaultLockPathTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Everyone = (UnixFileMode)0x1FF; // 0777

    private static string TmpDefault => "/tmp/testlocks-" + Platform.Linux.LinuxNative.Geteuid();

    [Fact]
    public void With_XDG_RUNTIME_DIR_set_the_default_lock_path_is_a_private_folder_in_it()
    {
        using var runtimeDir = new LockDir(); // 0700 and ours, as systemd-logind makes /run/user/<uid>
        var s = TestLocksSettings.Load(null, Environment(("XDG_RUNTIME_DIR", runtimeDir.Path)));

        Assert.Equal(Path.Combine(runtimeDir.Path, "testlocks"), s.LockPath);
        Assert.True(s.IsDefaultLockPath);
        using (new LockFactory(s).CreateLock(LockDir.UniqueName("xdg")).Acquire()) { }
        Assert.Equal(Private, File.GetUnixFileMode(s.LockPath));
    }

    [Fact]
    public void An_XDG_RUNTIME_DIR_that_is_not_a_private_directory_of_ours_leaves_the_default_in_tmp()
    {
        using var dir = new LockDir();
        var shared = Directory.CreateDirectory(Path.Combine(dir.Path, "shared")).FullName;
        File.SetUnixFileMode(shared, Everyone);

        foreach (var xdg in new[] { "run/user/1000", Path.Combine(dir.Path, "missing"), shared, dir.File("a-file") })
        {
            if (xdg.EndsWith("a-file", StringComparison.Ordinal)) File.WriteAllText(xdg, "");
            Assert.Equal(TmpDefault, TestLocksSettings.Load(null, Environment(("XDG_RUNTIME_DIR", xdg))).LockPath);
        }
        Assert.Equal(TmpDefault, TestLocksSettings.Load(null, Environment()).LockPath);
    }

    [Fact]
    public async Task An_unprivileged_user_gets_a_private_default_lock_path_of_its_own()
    {
        using var user = new OtherUser();
        await using var child = HelperProcess.StartHelperAs(user.Uid, user.Uid, new Dictionary<string, string>(), "wait", "availability_zone");
        Assert.Equal(0, await child.WaitForExitAsync());
        Assert.True(File.Exists(Path.Combine(user.DefaultLockPath, "availability_zone")), child.StandardError);
        Assert.Equal(Private, File.GetUnixFileMode(user.DefaultLockPath));
        Assert.Equal(user.Uid, Stat("%u", user.DefaultLockPath));
    }

    [Theory]
    [InlineData("another user's directory", "is owned by uid 0")]
    [InlineData("a directory writable by others", "is writable by group or others (mode 0777)")]
    [InlineData("a symbolic link", "is a symbolic link")]
    public async Task An_unprivileged_user_refuses_a_default_lock_path_that_is_not_private(string squatted, string reason)
    {
        // CI runs as root, which owns everything; the child is a user of its own, whose /tmp/testlocks-<uid> root prepares.
        using var user = new OtherUser();
        var path = user.DefaultLockPath;
        switch (squatted)
        {
            case "another user's directory":
                Directory.CreateDirectory(path);
                File.SetUnixFileMode(path, Everyone); // the squatter lets the victim in, to watch or replace its lock files
                break;
            case "a directory writable by others":
                Directory.CreateDirectory(path);
                File.SetUnixFileMode(path, Everyone);
                Run("chown", user.Uid, path);
                break;
            default:
                var target = Directory.CreateTempSubdirectory("testlocks-squat-").FullName;
                user.Remove(target);
                Run("chown", user.Uid, target);
                File.CreateSymbolicLink(path, target);
                break;
        }

        await using var child = HelperProcess.StartHelperAs(user.Uid, user.Uid, new Dictionary<string, string>(), "wait", "availability_zone");

        Assert.Equal(3, await child.WaitForExitAsync());
        var error = child.StandardError;
        Assert.StartsWith("LockPathException:", error, StringComparison.Ordinal);
        Assert.Contains($"The default lock_path '{path}' {reason}", error, StringComparison.Ordinal);
        Assert.Contains("Fix:", error, StringComparison.Ordinal);
        Assert.Contains("TESTLOCKS_LOCK_PATH", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(path)); // no lock file was made there
    }

    [Fact]
    public void A_configured_lock_path_writable_by_others_is_the_users_choice()
    {
        using var dir = new LockDir();
        File.SetUnixFileMode(dir.Path, Everyone | UnixFileMode.StickyBit); // a shared /tmp-like folder, on purpose
        using (dir.Factory.CreateLock(LockDir.UniqueName("shared")).Acquire()) { }
    }

    private static Dictionary<string, string?> Environment(params (string Key, string Value)[] variables)
    {
        var env = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = "/nonexistent" };
        foreach (var (k, v) in variables) env[k] = v;
        return env;
    }

    private static string Stat(string format, string path) => Run("stat", "-c", format, path).Trim();

    private static string Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {process.StandardError.ReadToEnd()}");
        return output;
    }

    /// <summary>An unprivileged uid no one else uses (no passwd entry needed), so its /tmp/testlocks-&lt;uid&gt; is this test's
    /// alone even while other test runs share the machine; removed afterwards.</summary>
    private sealed class OtherUser : IDisposable
    {
        private readonly List<string> _paths = [];

        public OtherUser()
        {
            Uid = Random.Shared.Next(200_000, 2_000_000).ToString(CultureInfo.InvariantCulture);
            DefaultLockPath = "/tmp/testlocks-" + Uid;
            Remove(DefaultLockPath);
        }

        public string Uid { get; }

        public string DefaultLockPath { get; }

        public void Remove(string path) => _paths.Add(path);

        public void Dispose()
        {
            foreach (var path in _paths)
            {
                if (new FileInfo(path).LinkTarget is not null) File.Delete(path);
                else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            }
        }
    }
}
