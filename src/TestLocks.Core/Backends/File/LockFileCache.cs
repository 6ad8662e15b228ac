using TestLocks.Platform;

namespace TestLocks.Backends.File;

/// <summary>
/// Keeps the descriptors of recently released lock files open, so that taking the same lock again costs one fcntl
/// instead of open + fcntl + close. A descriptor is only cached while it holds no lock, and is used by one acquirer
/// at a time. A cached descriptor may name a file that was since deleted or replaced: every acquire verifies the
/// locked file against the path afterwards, so that case costs a retry, never correctness. At most
/// <see cref="Capacity"/> descriptors stay open; the oldest is closed first.
/// </summary>
internal static class LockFileCache
{
    public const int Capacity = 128;

    private static readonly Dictionary<string, LockFile> s_byPath = new(StringComparer.Ordinal);
    private static readonly Queue<string> s_order = new();
    private static readonly HashSet<string> s_removed = new(StringComparer.Ordinal);

    /// <summary>Takes the cached descriptor of <paramref name="path"/>, or returns null.</summary>
    public static LockFile? Take(string path)
    {
        lock (s_byPath)
        {
            return s_byPath.Remove(path, out var file) ? file : null;
        }
    }

    /// <summary>Caches an unlocked descriptor of <paramref name="path"/>, or closes it when one is cached already.</summary>
    public static void Return(string path, LockFile file)
    {
        LockFile? toClose = null;
        lock (s_byPath)
        {
            if (s_removed.Remove(path) || !s_byPath.TryAdd(path, file))
            {
                toClose = file;
            }
            else
            {
                s_order.Enqueue(path);
                while (s_byPath.Count > Capacity && s_order.TryDequeue(out var oldest))
                {
                    if (s_byPath.Remove(oldest, out var old)) { toClose = old; break; }
                }
                // Keep the order queue from growing without bound when paths come back often.
                if (s_order.Count > 4 * Capacity) Compact();
            }
        }
        toClose?.Dispose();
    }

    /// <summary>Closes the cached descriptor of <paramref name="path"/>, if any (its file is being removed).</summary>
    public static void Forget(string path)
    {
        Take(path)?.Dispose();
    }

    /// <summary>The file of <paramref name="path"/> was removed while this process held it: the held file is closed when
    /// it comes back, not cached. On Windows (and wine) a deleted file keeps its name until its last handle closes.</summary>
    public static void ForgetWhenReturned(string path)
    {
        lock (s_byPath) s_removed.Add(path);
    }

    private static void Compact()
    {
        var live = s_order.Where(s_byPath.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
        s_order.Clear();
        foreach (var p in live) s_order.Enqueue(p);
    }
}
