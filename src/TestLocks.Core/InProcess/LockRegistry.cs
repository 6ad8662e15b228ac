namespace TestLocks.InProcess;

/// <summary>
/// The process-wide table of in-process locks, by name. A name is kept only while somebody holds or waits on it,
/// so memory stays flat however many distinct names a test suite uses (oslo keeps a weak-valued dictionary).
/// </summary>
internal static class LockRegistry
{
    private static readonly Dictionary<string, Entry> s_entries = new(StringComparer.Ordinal);

    /// <summary>Whether the table has an entry for <paramref name="key"/> now.</summary>
    public static bool Contains(string key)
    {
        lock (s_entries) return s_entries.ContainsKey(key);
    }

    /// <summary>How many requests wait in the in-process queue of a name now (0 when it is not in the table).</summary>
    public static int QueuedOn(string key)
    {
        lock (s_entries) return s_entries.TryGetValue(key, out var entry) ? entry.Lock.QueueLength : 0;
    }

    /// <summary>Who holds <paramref name="key"/> in this process now (the latest holder for readers); null when nobody does.</summary>
    public static string? HolderOf(string key)
    {
        lock (s_entries) return s_entries.TryGetValue(key, out var entry) ? entry.Lock.HolderOwner : null;
    }

    /// <summary>Finds or creates the entry for <paramref name="key"/> and counts one more user. Pair with <see cref="Release"/>.</summary>
    public static Entry Reference(string key)
    {
        lock (s_entries)
        {
            if (!s_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry(key);
                s_entries.Add(key, entry);
            }
            entry.Users++;
            return entry;
        }
    }

    /// <summary>Counts one user less; forgets the name when nobody holds or waits on it.</summary>
    public static void Release(Entry entry)
    {
        lock (s_entries)
        {
            if (--entry.Users == 0) s_entries.Remove(entry.Key);
        }
    }

    internal sealed class Entry(string key)
    {
        public string Key { get; } = key;
        public int Users { get; set; }
        public FifoReaderWriterLock Lock { get; } = new();
    }
}
