using System.Globalization;

namespace TestLocks.TestSupport.Processes;

/// <summary>
/// Counts holders of a counted lock from witness files: each holder process (TestHelper with TESTLOCKS_TEST_WITNESS)
/// appends "ENTER t" once it holds a slot and "EXIT t" before it lets go, on the machine's monotonic clock, which every
/// process reads alike. Each ENTER..EXIT lies inside a real hold, so more overlapping intervals than slots is a breach.
/// A holder killed while it held counts as holding to the end of the record.
/// </summary>
public static class SlotWitness
{
    /// <summary>The most holders at any moment, and how many holds were recorded.</summary>
    public static (int MaxInside, int Enters) Sweep(IEnumerable<string> files)
    {
        var events = new List<(long At, int Delta)>();
        foreach (var file in files.Where(File.Exists))
        {
            foreach (var line in File.ReadAllLines(file))
            {
                var parts = line.Split(' ');
                if (parts.Length != 2 || parts[0] is not ("ENTER" or "EXIT")) continue;
                events.Add((long.Parse(parts[1], CultureInfo.InvariantCulture), parts[0] == "ENTER" ? 1 : -1));
            }
        }
        // At the same tick a release counts before an entry: the clock cannot order them, and the lock did.
        events.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Delta.CompareTo(b.Delta));
        int inside = 0, max = 0, enters = 0;
        foreach (var (_, delta) in events)
        {
            inside += delta;
            if (delta > 0) enters++;
            max = Math.Max(max, inside);
        }
        return (max, enters);
    }
}
