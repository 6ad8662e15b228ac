using System.Diagnostics;
using TestLocks.Backends.Tests.Servers;

namespace TestLocks.Backends.Tests.Faults;

/// <summary>
/// One round of one fault: a holder process reaching the server through a <see cref="TcpProxy"/>, a waiter process
/// blocked on the same lock straight to the server, the fault, and the witness's verdict. Every holder is a real
/// TestHelper process writing its own witness file; the test synchronizes on their lines, never on sleeps (the only
/// fixed time is how long a fault that the server rides out lasts).
/// </summary>
internal sealed class FaultScenario(string backend, Func<int, string> url, int serverPort)
{
    /// <summary>How long a fault lasts that does not cost the holder its lock (PostgreSQL keeps the session of a
    /// stalled, slowed or paused client): three of its one-second session checks.</summary>
    public static readonly TimeSpan RiddenOutFault = TimeSpan.FromSeconds(3);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Runs one round. <paramref name="losesLock"/>: the fault costs the holder its lock (it must be told);
    /// otherwise the server keeps it for the holder, the waiter gets nothing while the fault lasts, and has it once
    /// the holder releases.
    /// <paramref name="waiterDuringFault"/>: when the fault costs the holder its lock, the server can give it to the
    /// waiter while the fault lasts (a lease that ends); otherwise only once it ends (PostgreSQL ends a stalled session
    /// only when the connection closes, which the proxy passes on after the fault).
    /// <paramref name="afterCheck"/>: a cut or reset comes right after a statement of the holder and its answer went by.</summary>
    public async Task<FaultRound> RunAsync(Fault fault, int round, bool losesLock, TimeSpan delay, bool waiterDuringFault = true, bool afterCheck = false)
    {
        await using var proxy = new TcpProxy(serverPort);
        var dir = Directory.CreateTempSubdirectory("testlocks-faults-").FullName;
        try
        {
            var name = LockDir.UniqueName($"fault-{fault}");
            await using var holder = Start(url(proxy.Port), Path.Combine(dir, "holder"), "hold", name);
            await holder.WaitForLineAsync("HELD");
            await using var waiter = Start(url(serverPort), Path.Combine(dir, "waiter"), "wait", name);
            await waiter.WaitForLineAsync("BLOCKED");

            if (fault is Fault.Cut or Fault.Reset && afterCheck)
            {
                // Right after the holder's session check and its answer went by: the worst case for a holder that learns
                // of a dropped connection only from its checks (it would know at the next one, a check interval later).
                await proxy.NextExchange().WaitAsync(Token);
            }
            var start = Stopwatch.GetTimestamp();
            Inject(fault, proxy, holder, delay);
            bool? checkSaidLost = null;
            if (losesLock && fault == Fault.Pause)
            {
                // The lease ends on the server while the holder sleeps: nothing any client does can stop the waiter
                // then. The holder must know the moment it runs again, before its next step touches the resource.
                await waiter.WaitForLineAsync("ACQUIRED");
                await holder.SendAsync("check");
                Signals.Continue(holder.Id);
                var lines = await LinesAsync(holder, "CHECK", "LOST");
                checkSaidLost = lines["CHECK"] == "CHECK lost=True";
            }
            else if (losesLock)
            {
                await holder.WaitForLineAsync("LOST");
                if (!waiterDuringFault) Heal(fault, proxy, holder);
                await waiter.WaitForLineAsync("ACQUIRED");
            }
            else
            {
                await Task.Delay(RiddenOutFault, Token); // the fault's length, not a wait for an event
                Assert.False(waiter.HasPrinted("ACQUIRED"), $"{backend} {fault} round {round}: the waiter had the lock while the server kept it for the holder");
            }
            Heal(fault, proxy, holder);
            if (!losesLock)
            {
                await holder.SendAsync("check");
                Assert.Equal("CHECK lost=False", await holder.WaitForLineAsync("CHECK"));
                await holder.SendAsync("release");
                await waiter.WaitForLineAsync("ACQUIRED");
                await holder.WaitForLineAsync("RELEASED");
            }
            var exit = await holder.WaitForExitAsync();
            Assert.Equal(0, await waiter.WaitForExitAsync());

            var held = Witness.Read("holder", Path.Combine(dir, "holder"))!;
            var next = Witness.Read("waiter", Path.Combine(dir, "waiter"))!;
            // Told: HandleLostToken fired and releasing threw LockLostException, so the test holding it fails.
            var told = held.Lost is not null && exit == 3 && holder.StandardError.Contains("LockLostException", StringComparison.Ordinal) && checkSaidLost != false;
            if (losesLock) Assert.True(told, $"{backend} {fault} round {round}: the holder lost the lock without being told (exit {exit}, CHECK said lost={checkSaidLost}): {holder.StandardError}");
            else Assert.Equal(0, exit);
            var overlaps = Witness.Overlaps([held, next]);
            var result = new FaultRound(backend, fault, round,
                held.Lost is { } lost ? Ms(start, lost) : null, Ms(start, next.Enter),
                overlaps.Count == 0 ? "none" : told ? "detected" : "UNDETECTED");
            Report(result);
            return result;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>One round of a server restart: a holder straight to the server, the restart, then a waiter (one that
    /// blocked before would have lost its own connection), and the witness's verdict. The holder must be told.</summary>
    public static async Task<FaultRound> RestartAsync(string backend, string url, Func<Task> restart, int round)
    {
        var dir = Directory.CreateTempSubdirectory("testlocks-faults-").FullName;
        try
        {
            var name = LockDir.UniqueName("fault-restart");
            await using var holder = Start(url, Path.Combine(dir, "holder"), "hold", name);
            await holder.WaitForLineAsync("HELD");
            var start = Stopwatch.GetTimestamp();
            await restart();
            await using var waiter = Start(url, Path.Combine(dir, "waiter"), "wait", name);
            await holder.WaitForLineAsync("LOST");
            await waiter.WaitForLineAsync("ACQUIRED");
            Assert.Equal(3, await holder.WaitForExitAsync());
            Assert.Contains("LockLostException", holder.StandardError, StringComparison.Ordinal);
            Assert.Equal(0, await waiter.WaitForExitAsync());

            var held = Witness.Read("holder", Path.Combine(dir, "holder"))!;
            var next = Witness.Read("waiter", Path.Combine(dir, "waiter"))!;
            var result = new FaultRound(backend, Fault.Restart, round, Ms(start, held.Lost!.Value), Ms(start, next.Enter),
                Witness.Overlaps([held, next]).Count == 0 ? "none" : "detected");
            Report(result);
            return result;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static HelperProcess Start(string url, string witness, params string[] args) => HelperProcess.StartHelper(new Dictionary<string, string>
    {
        ["TESTLOCKS_BACKEND_URL"] = url,
        ["TESTLOCKS_TEST_WITNESS"] = witness,
    }, args);

    /// <summary>Reads the process's lines until one starting with each prefix came, in any order.</summary>
    public static async Task<Dictionary<string, string>> LinesAsync(HelperProcess process, params string[] prefixes)
    {
        var seen = new Dictionary<string, string>();
        while (seen.Count < prefixes.Length)
        {
            var line = await process.WaitForLineAsync("");
            if (prefixes.FirstOrDefault(line.StartsWith) is { } prefix) seen.TryAdd(prefix, line);
        }
        return seen;
    }

    public static long Ms(long from, long to) => (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary>Prints the round, and appends it to $FAULT_REPORT (bench/faults.sh sums them up).</summary>
    public static void Report(FaultRound result)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(result.ToString());
        if (Environment.GetEnvironmentVariable("FAULT_REPORT") is { Length: > 0 } report)
        {
            lock (typeof(FaultScenario))
            {
                System.IO.File.AppendAllText(report, $"{result.Backend} {result.Fault.ToString().ToLowerInvariant()} {result.Round} {result.LostMs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {result.AcquiredMs} {result.Overlap}\n");
            }
        }
    }

    private static void Inject(Fault fault, TcpProxy proxy, HelperProcess holder, TimeSpan delay)
    {
        switch (fault)
        {
            case Fault.Cut: proxy.Cut(); break;
            case Fault.Reset: proxy.Reset(); break;
            case Fault.Freeze or Fault.Stall: proxy.Freeze(); break;
            case Fault.Delay: proxy.Delay = delay; break;
            case Fault.Pause: Signals.Stop(holder.Id); break;
            default: throw new ArgumentOutOfRangeException(nameof(fault), fault, "not a fault the proxy or a signal injects");
        }
    }

    private static void Heal(Fault fault, TcpProxy proxy, HelperProcess holder)
    {
        proxy.Thaw();
        proxy.Delay = TimeSpan.Zero;
        if (fault == Fault.Pause) Signals.Continue(holder.Id);
    }
}
