using TestLocks.Configuration;
using TestLocks.Platform;

namespace TestLocks.Backends.File;

/// <summary>
/// Creates lock_path, parents first, on first use. When that fails the error names the path, the part that could
/// not be created and why, the setting the path came from, and the fix: the seed's bare
/// <c>Permission denied: '/opt/stack'</c>, done right.
/// </summary>
internal static class LockDirectory
{
    /// <summary>The mode of the default lock_path, which must also be found private (see <see cref="DefaultLockDirectory"/>).</summary>
    public const int PrivateMode = 0x1C0; // 0700

    /// <summary>Makes sure <paramref name="path"/> is a directory, creating it and its parents with <paramref name="mode"/>.</summary>
    /// <param name="platform">The OS's lock file platform.</param>
    /// <param name="path">The absolute lock_path.</param>
    /// <param name="origin">Where the value came from, for example "[oslo_concurrency] lock_path in /etc/tempest.conf".</param>
    /// <param name="mode">Permissions for directories this call creates (the umask applies). <see cref="PrivateMode"/>
    /// for the default lock_path, which is then refused unless it is a directory of this user that no one else may write.</param>
    public static void Ensure(LockFilePlatform platform, string path, string origin, int mode)
    {
        if (mode != PrivateMode)
        {
            Create(platform, path, origin, mode);
            return;
        }
        DefaultLockDirectory.RefuseIfNotPrivate(path);
        Create(platform, path, origin, mode);
        DefaultLockDirectory.RefuseIfNotPrivate(path); // another user's mkdir may have won the race with ours
    }

    private static void Create(LockFilePlatform platform, string path, string origin, int mode)
    {
        if (Directory.Exists(path)) return;
        if (System.IO.File.Exists(path))
        {
            throw new LockPathException(path,
                $"lock_path '{path}' is a file, not a directory. It is set by {origin}. " +
                $"Fix: point lock_path to a directory (it is created if missing), or remove the file '{path}'.");
        }

        // Create each missing component in turn, so that a failure names the exact ancestor.
        var missing = new Stack<string>();
        for (var p = path; !string.IsNullOrEmpty(p) && !Directory.Exists(p); p = Path.GetDirectoryName(p))
        {
            missing.Push(p);
        }
        while (missing.TryPop(out var component))
        {
            var error = platform.CreateDirectory(component, mode);
            if (error.IsNone) continue;
            if (Directory.Exists(component)) continue; // another process was faster
            throw Failure(path, component, error, origin);
        }
    }

    private static LockPathException Failure(string path, string component, PlatformError error, string origin)
    {
        var what = component == path ? $"creating it" : $"creating its ancestor '{component}'";
        var reason = error.Kind == PlatformErrorKind.NotDirectory
            ? $"'{component}' or one of its parents is a file, not a directory"
            : error.Description;
        var fix = error.Kind is PlatformErrorKind.AccessDenied or PlatformErrorKind.ReadOnly
            ? $"Fix: set lock_path to a directory your user can create or write (for example [oslo_concurrency] lock_path = {Suggestion()} " +
              $"in the INI file, or TESTLOCKS_LOCK_PATH={Suggestion()}), or create it for your user: " +
              $"sudo mkdir -p '{path}' && sudo chown \"$(id -un)\" '{path}'."
            : $"Fix: set lock_path to a usable directory (for example TESTLOCKS_LOCK_PATH={Suggestion()}), or repair '{component}'.";
        return new LockPathException(path,
            $"Cannot create lock_path '{path}': {what} failed: {reason}. lock_path is set by {origin}. {fix}");
    }

    private static string Suggestion() => Path.Combine(Path.GetTempPath(), "tempest-lock");
}
