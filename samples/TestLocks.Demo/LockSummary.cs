using System.Globalization;

namespace TestLocks.Demo;

/// <summary>Per lock, from the statistics files the sample processes wrote: acquisitions, total and longest wait, total held.</summary>
internal static class LockSummary
{
    /// <summary>Prints the table; returns how long each lock was held in all, by name.</summary>
    public static IReadOnlyDictionary<string, double> Print(string statisticsDirectory)
    {
        var lines = Directory.Exists(statisticsDirectory)
            ? Directory.GetFiles(statisticsDirectory, "*.log").SelectMany(File.ReadAllLines).Select(l => l.Split('|')).ToList()
            : [];
        var heldByLock = new Dictionary<string, double>(StringComparer.Ordinal);
        Console.WriteLine($"  {"lock",-28} {"acquisitions",12} {"total wait",11} {"max wait",9} {"total held",11}");
        foreach (var byLock in lines.GroupBy(l => l[1]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var waits = byLock.Where(l => l[0] == "acquired").Select(l => Seconds(l[2])).ToList();
            var held = heldByLock[byLock.Key] = byLock.Where(l => l[0] == "released").Sum(l => Seconds(l[2]));
            Console.WriteLine(FormattableString.Invariant(
                $"  {byLock.Key,-28} {waits.Count,12} {waits.Sum(),10:0.00}s {(waits.Count > 0 ? waits.Max() : 0),8:0.00}s {held,10:0.00}s"));
        }
        return heldByLock;
    }

    /// <summary>When the first lock of the run was acquired (a Stopwatch timestamp): the earliest moment a test could
    /// start, so everything before it is process start-up. Null when no process wrote one.</summary>
    public static long? FirstAcquired(string statisticsDirectory) =>
        Directory.Exists(statisticsDirectory)
            ? Directory.GetFiles(statisticsDirectory, "*.log").SelectMany(File.ReadAllLines).Select(l => l.Split('|'))
                .Where(l => l is ["acquired", _, _, _]).Select(l => (long?)long.Parse(l[3], CultureInfo.InvariantCulture)).Min()
            : null;

    private static double Seconds(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
