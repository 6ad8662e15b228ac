using TestLocks.Platform.Linux;

namespace TestLocks.Configuration;

/// <summary>
/// The lock_path used when nothing configures one: <c>$XDG_RUNTIME_DIR/testlocks</c> when the session has a usable
/// runtime directory (a private directory of the user's, as systemd-logind makes <c>/run/user/&lt;uid&gt;</c>), else
/// <c>/tmp/testlocks-&lt;uid&gt;</c>. Both are per user and fixed, so every test process of one run agrees on them. Since
/// another local user can create <c>/tmp/testlocks-&lt;uid&gt;</c> first, a default directory that is a link, belongs to
/// someone else or is writable by others is refused; a lock_path the user configured is the user's choice.
/// </summary>
internal static class DefaultLockDirectory
{
    /// <summary>The default lock_path for a process with environment <paramref name="env"/>.</summary>
    public static string For(IReadOnlyDictionary<string, string?> env)
    {
        if (OperatingSystem.IsWindows()) return Path.Combine(Path.GetTempPath(), "testlocks-" + Environment.UserName);
        if (OperatingSystem.IsLinux() && env.TryGetValue("XDG_RUNTIME_DIR", out var runtime) && IsPrivateDirectory(runtime))
        {
            return Path.GetFullPath(Path.Join(runtime, "testlocks"));
        }
        return "/tmp/testlocks-" + LinuxNative.Geteuid();
    }

    /// <summary>Throws when <paramref name="path"/>, the default lock_path, exists but is not a private directory of this
    /// user. Nothing there is fine: the caller creates it, 0700, and asks again.</summary>
    /// <exception cref="LockPathException">It is a link, belongs to another user, or others may write in it.</exception>
    public static void RefuseIfNotPrivate(string path)
    {
        if (LinuxNative.GetStatus(path, followLinks: false, out var status) != 0) return; // missing, or the caller's mkdir will say why
        var me = LinuxNative.Geteuid();
        var problem =
            status.IsSymbolicLink ? $"is a symbolic link (to '{new FileInfo(path).LinkTarget}'), which could point your lock files anywhere"
            : !status.IsDirectory ? null // a file: the caller's error says so
            : status.Uid != me ? $"is owned by uid {status.Uid}, not by you (uid {me}): another user may have created it to watch, hold or replace your lock files"
            : status.IsWritableByOthers ? $"is writable by group or others (mode {status.Permissions}), so other users could replace your lock files"
            : null;
        if (problem is null) return;
        var remedy = status.IsSymbolicLink ? $"remove the link (rm '{path}')"
            : status.Uid != me ? $"have it removed (sudo rm -rf '{path}'; TestLocks creates it again, 0700)"
            : $"make it private (chmod 700 '{path}') after checking that nothing in it is someone else's";
        throw new LockPathException(path,
            $"The default lock_path '{path}' {problem}, so TestLocks does not use it. " +
            $"Fix: {remedy}, or configure a lock_path of your own: TESTLOCKS_LOCK_PATH=\"$HOME/.cache/testlocks\" or " +
            "[oslo_concurrency] lock_path in testlocks.conf (a session with XDG_RUNTIME_DIR uses $XDG_RUNTIME_DIR/testlocks instead).");
    }

    /// <summary>Whether <paramref name="path"/> is an absolute path to a directory this user owns and no one else may write in.</summary>
    private static bool IsPrivateDirectory(string? path) =>
        !string.IsNullOrEmpty(path) && Path.IsPathFullyQualified(path)
        && LinuxNative.GetStatus(path, followLinks: true, out var status) == 0
        && status.IsDirectory && status.Uid == LinuxNative.Geteuid() && !status.IsWritableByOthers;
}
