using System.Diagnostics;
using System.Globalization;

namespace TestLocks.Backends.Tests.Faults;

/// <summary>
/// One holder's record in the witness: when it had the lock, and when it stopped counting on it (its release, or the
/// moment it knew it lost the lock), on the machine's monotonic clock, which every process reads alike.
/// </summary>
public sealed record Hold(string Holder, long Enter, long? Exit, long? Lost)
{
    /// <summary>When the holder stopped counting on the lock; a holder that did neither still counts on it.</summary>
    public long End => Lost ?? Exit ?? long.MaxValue;
}

/// <summary>
/// An independent witness of who held a lock when: every holder (a TestHelper process with TESTLOCKS_TEST_WITNESS set)
/// appends "ENTER", "EXIT" and "LOST" with a <see cref="Stopwatch"/> timestamp to a file of its own. Two holds
/// overlap when one entered before the other stopped counting on the lock.
/// </summary>
public static class Witness
{
    /// <summary>The hold recorded in <paramref name="file"/>, or null when that holder never had the lock.</summary>
    public static Hold? Read(string holder, string file)
    {
        if (!System.IO.File.Exists(file)) return null;
        var events = System.IO.File.ReadAllLines(file).Select(l => l.Split(' ')).GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => long.Parse(g.First()[1], CultureInfo.InvariantCulture));
        return events.TryGetValue("ENTER", out var enter)
            ? new Hold(holder, enter, events.TryGetValue("EXIT", out var exit) ? exit : null, events.TryGetValue("LOST", out var lost) ? lost : null)
            : null;
    }

    /// <summary>Every pair of holds that overlap, the earlier first.</summary>
    public static IReadOnlyList<(Hold First, Hold Second)> Overlaps(IEnumerable<Hold?> holds)
    {
        var ordered = holds.OfType<Hold>().OrderBy(h => h.Enter).ToList();
        var overlaps = new List<(Hold, Hold)>();
        for (var i = 0; i < ordered.Count; i++)
        {
            for (var j = i + 1; j < ordered.Count; j++)
            {
                if (ordered[j].Enter < ordered[i].End) overlaps.Add((ordered[i], ordered[j]));
            }
        }
        return overlaps;
    }
}
