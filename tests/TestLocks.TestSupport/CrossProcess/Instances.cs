namespace TestLocks.TestSupport.CrossProcess;

/// <summary>
/// The life of one fixture test instance in one process, from its first journal line (the constructor) to its last
/// (Dispose), with the locks it holds: the ones its class declares plus the implicit read sides of "assembly-lock" (an
/// assembly-level [ExternalLock]) and of the serial lock.
/// </summary>
internal sealed record Instance(int Pid, string Who, IReadOnlyList<JournalEntry> Phases, IReadOnlyDictionary<string, LockMode> Locks)
{
    public int First => Phases[0].Index;

    public int Last => Phases[^1].Index;

    public string Class => Phases[0].Class;

    public static IReadOnlyList<Instance> From(IEnumerable<JournalEntry> journal) =>
        journal.Where(e => e.IsPhase).GroupBy(e => (e.Pid, e.Who)).Select(g =>
        {
            var locks = new Dictionary<string, LockMode> { ["assembly-lock"] = LockMode.Read, ["serial-rw-lock"] = LockMode.Read };
            foreach (var declared in g.First().Detail.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (declared == "serial") locks["serial-rw-lock"] = LockMode.Write;
                else if (declared.EndsWith(":r", StringComparison.Ordinal)) locks[declared[..^2]] = LockMode.Read;
                else locks[declared] = LockMode.Write;
            }
            return new Instance(g.Key.Pid, g.Key.Who, g.ToList(), locks);
        }).ToList();

    /// <summary>Fails when two instances that hold the same lock, one of them for writing, overlap in the journal.</summary>
    public static void AssertNoConflictingOverlap(IReadOnlyList<Instance> instances, IReadOnlyList<JournalEntry> journal)
    {
        foreach (var a in instances)
        {
            foreach (var b in instances)
            {
                if (ReferenceEquals(a, b) || a.First > b.First || b.First > a.Last) continue; // b does not start inside a
                var shared = a.Locks.Keys.Intersect(b.Locks.Keys)
                    .FirstOrDefault(name => a.Locks[name] == LockMode.Write || b.Locks[name] == LockMode.Write);
                if (shared is not null)
                {
                    throw new JournalAssertionException(
                        $"{b.Who} (pid {b.Pid}) started at line {b.First} while {a.Who} (pid {a.Pid}, lines {a.First}-{a.Last}) held \"{shared}\".\n{JournalFile.Dump(journal)}");
                }
            }
        }
    }

    /// <summary>Fails unless every instance of <paramref name="className"/> journaled exactly <paramref name="phases"/> in order.</summary>
    public static void AssertPhases(IReadOnlyList<Instance> instances, string className, params string[] phases)
    {
        var ofClass = instances.Where(i => i.Class == className).ToList();
        if (ofClass.Count == 0) throw new JournalAssertionException($"No instance of {className} in the journal.");
        foreach (var instance in ofClass)
        {
            var journaled = instance.Phases.Select(p => p.What.StartsWith("body", StringComparison.Ordinal) ? "body" : p.What).ToList();
            if (!journaled.SequenceEqual(phases))
            {
                throw new JournalAssertionException($"{instance.Who} (pid {instance.Pid}) journaled {string.Join(", ", journaled)}; expected {string.Join(", ", phases)}.");
            }
        }
    }
}

/// <summary>What the journal shows breaks the contract. A plain exception, so that a test of any framework fails with it.</summary>
internal sealed class JournalAssertionException(string message) : Exception(message);
