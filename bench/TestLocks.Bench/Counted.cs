using System.Diagnostics;
using System.Globalization;

namespace TestLocks.Bench;

/// <summary>
/// Counted locks and pools across processes (issue 23), on lock files or the server of TESTLOCKS_BACKEND_URL:
/// <list type="bullet">
/// <item><c>pool DIR PROCESSES MEMBERS ITERATIONS HOLD_MS</c>: PROCESSES processes share a pool of MEMBERS members; each leases
/// ITERATIONS times and holds its member HOLD_MS. Busy = (total hold time / MEMBERS) / (first acquire to last release): 100%
/// means the members never stood idle while a process waited. Also checks, from every hold's stamps, that no member had
/// two holders and never more than MEMBERS were held.</item>
/// <item><c>killstress DIR PROCESSES SLOTS SECONDS</c>: PROCESSES processes loop on a counted lock of SLOTS slots, each hold
/// witnessed (ENTER/EXIT stamps); every ~300 ms one is SIGKILLed (its last hold ends at the stamp taken just before the
/// kill) and replaced. At the end the witness must never show more than SLOTS holders.</item>
/// </list>
/// Stamps are Stopwatch (CLOCK_MONOTONIC), which every process reads alike.
/// </summary>
internal static class Counted
{
    public static int Pool(string dir, int processes, int members, int iterations, int holdMs)
    {
        var go = Path.Combine(dir, "pool-go");
        File.Delete(go);
        var children = Enumerable.Range(0, processes).Select(i => Start("pool-child", dir, $"{i}", $"{members}", $"{iterations}", $"{holdMs}")).ToList();
        // Start-up (a few hundred ms per process on a loaded machine) is not the pool's time: every child starts, then all
        // warm up together, round by round (WarmUp), until a round in which no child's JIT compiled anything, and start
        // when all are ready.
        for (var i = 0; i < processes; i++) AwaitFile(Path.Combine(dir, $"pool-started-{i}"));
        var rounds = 0;
        while (true)
        {
            File.WriteAllText(Path.Combine(dir, $"pool-warm-{rounds}"), "");
            var compiled = 0L;
            for (var i = 0; i < processes; i++) compiled += long.Parse(AwaitText(Path.Combine(dir, $"pool-ready-{rounds}-{i}")), CultureInfo.InvariantCulture);
            rounds++;
            if (compiled == 0 || rounds == MaxWarmUpRounds) break;
        }
        File.WriteAllText(go, "");
        children.ForEach(c => c.WaitForExit());
        if (children.Any(c => c.ExitCode != 0)) throw new InvalidOperationException("a pool child failed");
        var holds = Enumerable.Range(0, processes).SelectMany(i => File.ReadAllLines(Path.Combine(dir, $"pool-{i}.txt")))
            .Select(l => l.Split(' ')).Select(p => (Member: p[0], Enter: long.Parse(p[1], CultureInfo.InvariantCulture), Exit: long.Parse(p[2], CultureInfo.InvariantCulture))).ToList();
        var span = Stopwatch.GetElapsedTime(holds.Min(h => h.Enter), holds.Max(h => h.Exit));
        var held = TimeSpan.FromTicks(holds.Sum(h => Stopwatch.GetElapsedTime(h.Enter, h.Exit).Ticks));
        var sameMember = holds.GroupBy(h => h.Member).Sum(g => MaxInside(g.Select(h => (h.Enter, h.Exit))) > 1 ? 1 : 0);
        var maxInside = MaxInside(holds.Select(h => (h.Enter, h.Exit)));
        var backend = Environment.GetEnvironmentVariable("TESTLOCKS_BACKEND_URL") is { } url ? new Uri(url).Scheme : "file";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pool {backend}: {processes} processes, {members} members, {holds.Count} leases of {holdMs} ms: busy {held.TotalSeconds / members / span.TotalSeconds:P1} of ideal " +
            $"(span {span.TotalSeconds:0.000} s, ideal {held.TotalSeconds / members:0.000} s; {rounds} warm-up rounds); most holders at once {maxInside}; members with two holders at once: {sameMember}"));
        return maxInside <= members && sameMember == 0 ? 0 : 1;
    }

    public static int PoolChild(string dir, int index, int members, int iterations, int holdMs)
    {
        var pool = Factory(dir).CreatePool("bench-pool", [.. Enumerable.Range(1, members).Select(m => $"member{m}")]);
        var lines = new List<string>(iterations);
        File.WriteAllText(Path.Combine(dir, $"pool-started-{index}"), "");
        var go = Path.Combine(dir, "pool-go");
        for (var round = 0; ; round++)
        {
            var warm = Path.Combine(dir, $"pool-warm-{round}");
            while (!File.Exists(warm))
            {
                if (File.Exists(go)) break;
                Thread.Sleep(1);
            }
            if (!File.Exists(warm)) break;
            var ready = Path.Combine(dir, $"pool-ready-{round}-{index}");
            File.WriteAllText(ready + ".tmp", WarmUp(pool).ToString(CultureInfo.InvariantCulture));
            File.Move(ready + ".tmp", ready);
        }
        for (var i = 0; i < iterations; i++)
        {
            using var lease = pool.Acquire();
            var enter = Stopwatch.GetTimestamp();
            Thread.Sleep(holdMs);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{lease.Member} {enter} {Stopwatch.GetTimestamp()}"));
        }
        File.WriteAllLines(Path.Combine(dir, $"pool-{index}.txt"), lines);
        return 0;
    }

    /// <summary>At most this many warm-up rounds; a round takes about a second.</summary>
    private const int MaxWarmUpRounds = 8;

    /// <summary>One warm-up round: runs the paths the measured leases take, so that start-up (connections, threads, the JIT
    /// and its tier-up of the hot methods) is not the pool's time. All children lease 40 times at once, holding 1 ms (so most
    /// leases wait for a member, as measured ones do), then wait until their JIT has been idle for 200 ms. Returns how many
    /// methods were compiled meanwhile: rounds go on until one compiles nothing in any child. The tiered JIT promotes a
    /// method in steps of 30 calls (tier 0, instrumented, optimized), counting only from 100 ms after the last new method,
    /// and compiles on one background thread per process: with one round and a fixed 500 ms pause, eight processes on 2
    /// cores were still recompiling the library's hot methods during the measured leases, a third of the machine's time
    /// (perf, docs/benchmarks.md).</summary>
    private static long WarmUp(CountedLock pool)
    {
        var before = System.Runtime.JitInfo.GetCompiledMethodCount();
        for (var i = 0; i < 40; i++)
        {
            using (pool.Acquire()) Thread.Sleep(1);
        }
        long seen;
        do
        {
            seen = System.Runtime.JitInfo.GetCompiledMethodCount();
            Thread.Sleep(200);
        }
        while (System.Runtime.JitInfo.GetCompiledMethodCount() != seen);
        return seen - before;
    }

    public static int KillStress(string dir, int processes, int slots, double seconds)
    {
        var next = 0;
        var running = new List<(Process Process, string Witness)>();
        (Process, string) Spawn()
        {
            var witness = Path.Combine(dir, $"witness-{next++}.txt");
            return (Start("killstress-child", dir, $"{slots}", witness), witness);
        }
        for (var i = 0; i < processes; i++) running.Add(Spawn());
        var killed = 0;
        var random = new Random(23);
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var witnesses = new List<string>();
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.Sleep(300);
            var victim = random.Next(running.Count);
            var (process, witness) = running[victim];
            // Its last hold ends no later than now: the kernel frees the slot only after the process dies.
            File.AppendAllText(witness + ".killed", $"{Stopwatch.GetTimestamp()}\n");
            process.Kill();
            process.WaitForExit();
            killed++;
            witnesses.Add(witness);
            running[victim] = Spawn();
        }
        foreach (var (process, witness) in running)
        {
            File.AppendAllText(witness + ".killed", $"{Stopwatch.GetTimestamp()}\n");
            process.Kill();
            process.WaitForExit();
            witnesses.Add(witness);
        }
        var intervals = new List<(long Enter, long Exit)>();
        foreach (var witness in witnesses)
        {
            var killedAt = long.Parse(File.ReadAllText(witness + ".killed").Trim(), CultureInfo.InvariantCulture);
            if (!File.Exists(witness)) continue;
            long? enter = null;
            foreach (var line in File.ReadAllLines(witness))
            {
                var parts = line.Split(' ');
                if (parts.Length != 2 || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var at)) continue; // a line cut by the kill
                if (parts[0] == "ENTER") enter = at;
                else if (parts[0] == "EXIT" && enter is { } e) { intervals.Add((e, at)); enter = null; }
            }
            if (enter is { } open) intervals.Add((open, killedAt)); // killed while holding
        }
        var max = MaxInside(intervals);
        var backend = Environment.GetEnvironmentVariable("TESTLOCKS_BACKEND_URL") is { } url ? new Uri(url).Scheme : "file";
        Console.WriteLine($"killstress {backend}: {processes} processes on {slots} slots for {seconds:0} s, {killed} SIGKILLed, {intervals.Count} holds witnessed; most holders at once {max} (limit {slots})");
        return max <= slots ? 0 : 1;
    }

    public static int KillStressChild(string dir, int slots, string witness)
    {
        var counted = Factory(dir).CreateSemaphore("bench-killstress", slots);
        using var file = new FileStream(witness, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1);
        void Say(string what)
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes($"{what} {Stopwatch.GetTimestamp()}\n");
            file.Write(bytes); // one write(2) per line, so a kill leaves whole lines
        }
        while (true)
        {
            using (counted.Acquire())
            {
                Say("ENTER");
                Thread.SpinWait(2000);
                Say("EXIT");
            }
        }
    }

    /// <summary>Start-line coordination only, never on a measured path.</summary>
    private static void AwaitFile(string path)
    {
        while (!File.Exists(path)) Thread.Sleep(1);
    }

    /// <summary>Start-line coordination only: the text of a file written elsewhere (complete: renamed into place).</summary>
    private static string AwaitText(string path)
    {
        AwaitFile(path);
        return File.ReadAllText(path);
    }

    private static LockFactory Factory(string dir) =>
        new(new TestLocksSettings { LockPath = dir, BackendUrl = Environment.GetEnvironmentVariable("TESTLOCKS_BACKEND_URL") });

    private static Process Start(params string[] args) =>
        Process.Start(new ProcessStartInfo("dotnet", [typeof(Counted).Assembly.Location, .. args]) { UseShellExecute = false })!;

    private static int MaxInside(IEnumerable<(long Enter, long Exit)> intervals)
    {
        var events = intervals.SelectMany(i => new[] { (At: i.Enter, Delta: 1), (At: i.Exit, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta).ToList();
        int inside = 0, max = 0;
        foreach (var (_, delta) in events) max = Math.Max(max, inside += delta);
        return max;
    }
}
