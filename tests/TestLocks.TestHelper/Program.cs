// The helper program cross-process tests start. Every command reads its settings (lock_path, prefix, backend)
// from the environment through LockFactory.Default, prints one line per step on stdout, and flushes at once,
// so tests synchronize on those lines, never on sleeps.
//
//   hold NAME [read|write] [OWNER]   take the lock (print "BLOCKED PID" if it has to wait), print "HELD PID", release when stdin says "release" or closes;
//                                    if the backend loses the lock meanwhile, print "LOST" and fail with LockLostException;
//                                    stdin "check" prints "CHECK lost=True|False" (as a test looking at HandleLostToken before it
//                                    touches the resource), "token" prints "TOKEN N" (the handle's fencing token, or "TOKEN none"); with TESTLOCKS_TEST_WITNESS=FILE, append "LOST <Stopwatch timestamp>"
//                                    to FILE the moment the loss is known, and "ENTER <timestamp>" once held, "EXIT <timestamp>" before a release
//   holdmany PREFIX COUNT [OWNER]    take the locks PREFIX-0 ... PREFIX-(COUNT-1), print "HELD PID", release them all when
//                                    stdin says "release" or closes, print "RELEASED"
//   wait NAME [read|write]           print "WAITING", take the lock (no timeout), print "BLOCKED PID" when it has to wait
//                                    (PID: the holder's, as the lock reports it), "ACQUIRED", release, exit; with
//                                    TESTLOCKS_TEST_WITNESS=FILE, append "ENTER <timestamp>" once held and "EXIT <timestamp>" before the release
//   count NAME FILE ITERATIONS THREADS
//                                    each thread: ITERATIONS times take the lock, read the integer in FILE,
//                                    yield, write it plus one; print "DONE" at the end
//   fence NAME FILE ITERATIONS       ITERATIONS times take the write lock, and write "TOKEN START END" to FILE (this process's own):
//                                    the fencing token, and the machine's monotonic clock after the acquire and before the
//                                    release; print "DONE" at the end
//   readloop NAME HOLD_MS            take the read lock, hold it HOLD_MS (the work), release, at once again, until
//                                    stdin closes or says "stop"; print "READING" after the first acquire
//   test NAME TEST                   as a test TEST of a test framework asking for the lock NAME (Core's LockedTest): print
//                                    "LINE <line>" for each line it says (its wait lines, its wait summary), "ACQUIRED",
//                                    release, exit
//   slot NAME SLOTS [OWNER]          take a slot of the counted lock NAME with SLOTS slots (print "BLOCKED <notice>" if it has to
//                                    wait), print "HELD <slot>", release when stdin says "release" or closes, print "RELEASED";
//                                    with TESTLOCKS_TEST_WITNESS=FILE, "ENTER <timestamp>" once held and "EXIT <timestamp>" before the release
//   lease POOL MEMBERS [OWNER]       the same for a pool of the comma-separated MEMBERS; prints "HELD <member>"
//   slotloop NAME SLOTS ITERATIONS   ITERATIONS times take a slot, witness ENTER, yield, witness EXIT, release; print "DONE" at the end
//   settings                         print the effective settings and where they came from
using System.Diagnostics;
using System.Globalization;
using TestLocks;

Console.Out.Flush();
var output = Console.Out;
try
{
    switch (args.FirstOrDefault())
    {
        case "hold":
            {
                var @lock = Lock(args[1], args.ElementAtOrDefault(2), args.ElementAtOrDefault(3), n => Say($"BLOCKED {n.Holder?.ProcessId}"));
                var handle = @lock.Acquire();
                Witness("ENTER");
                if (WitnessFile() is { } witness)
                {
                    // The moment the loss is known, on the machine's monotonic clock, which every process reads alike.
                    handle.HandleLostToken.Register(() => File.AppendAllText(witness, $"LOST {Stopwatch.GetTimestamp()}\n"));
                }
                var lostToken = handle.HandleLostToken;
                Say($"HELD {Environment.ProcessId}");
                var released = Task.Run(() =>
                {
                    while (Console.ReadLine() is { } line && line != "release")
                    {
                        // Read through the handle (which checks the lease clock), or, once the main flow has released the
                        // lost lock (the handle then has no backend lock left to ask), the token it fired.
                        if (line == "check") Say($"CHECK lost={handle.HandleLostToken.IsCancellationRequested || lostToken.IsCancellationRequested}");
                        if (line == "token") Say($"TOKEN {handle.FencingToken?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
                    }
                });
                var lost = Task.Delay(Timeout.Infinite, handle.HandleLostToken);
                await Task.WhenAny(released, lost);
                if (handle.HandleLostToken.IsCancellationRequested) Say("LOST");
                else Witness("EXIT");
                handle.Dispose(); // throws LockLostException when the lock was lost
                Say("RELEASED");
                return 0;
            }
        case "holdmany":
            {
                var handles = new List<LockHandle>();
                for (var i = 0; i < int.Parse(args[2], CultureInfo.InvariantCulture); i++)
                {
                    handles.Add(Lock($"{args[1]}-{i}", "write", args.ElementAtOrDefault(3)).Acquire());
                }
                Say($"HELD {Environment.ProcessId}");
                while (Console.ReadLine() is { } line && line != "release")
                {
                }
                foreach (var handle in handles) handle.Dispose();
                Say("RELEASED");
                return 0;
            }
        case "wait":
            {
                var @lock = Lock(args[1], args.ElementAtOrDefault(2), null, n => Say($"BLOCKED {n.Holder?.ProcessId}"));
                Say("WAITING");
                using (@lock.Acquire())
                {
                    Witness("ENTER");
                    Say("ACQUIRED");
                    Witness("EXIT");
                }
                return 0;
            }
        case "count":
            {
                var name = args[1];
                var file = args[2];
                var iterations = int.Parse(args[3], CultureInfo.InvariantCulture);
                var threads = int.Parse(args[4], CultureInfo.InvariantCulture);
                var @lock = LockFactory.Default.CreateLock(name);
                var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
                {
                    for (var i = 0; i < iterations; i++)
                    {
                        using (@lock.Acquire()) Increment(file);
                    }
                })).ToList();
                workers.ForEach(t => t.Start());
                workers.ForEach(t => t.Join());
                Say("DONE");
                return 0;
            }
        case "fence":
            {
                var @lock = LockFactory.Default.CreateLock(args[1]);
                var iterations = int.Parse(args[3], CultureInfo.InvariantCulture);
                var lines = new List<string>(iterations);
                for (var i = 0; i < iterations; i++)
                {
                    using var handle = @lock.Acquire();
                    var start = Stopwatch.GetTimestamp();
                    Thread.Yield();
                    lines.Add(string.Create(CultureInfo.InvariantCulture, $"{handle.FencingToken} {start} {Stopwatch.GetTimestamp()}"));
                }
                File.WriteAllLines(args[2], lines);
                Say("DONE");
                return 0;
            }
        case "readloop":
            {
                var @lock = Lock(args[1], "read", "Reader.loop");
                var hold = int.Parse(args[2], CultureInfo.InvariantCulture);
                using var stop = new CancellationTokenSource();
                _ = Task.Run(() => { while (Console.ReadLine() is { } line && line != "stop") { } stop.Cancel(); });
                var first = true;
                while (!stop.IsCancellationRequested)
                {
                    using (@lock.Acquire())
                    {
                        if (first) Say("READING");
                        first = false;
                        Thread.Sleep(hold);
                    }
                }
                return 0;
            }
        case "test":
            {
                var locked = TestLocks.Adapters.LockedTest.Start($"helper-{Environment.ProcessId}", args[2],
                    new TestLocks.Testing.TestCaseInfo(typeof(Program), null, [], args[2]), [new Asks(args[1])], new SayingChannel(Say));
                await using (locked)
                {
                    await locked.AcquireAsync();
                    Say("ACQUIRED");
                }
                return 0;
            }
        case "slot":
        case "lease":
            {
                var options = new LockOptions { Owner = args.ElementAtOrDefault(3), OnWaiting = n => Say($"BLOCKED {n}") };
                var counted = args[0] == "slot"
                    ? LockFactory.Default.CreateSemaphore(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), options)
                    : LockFactory.Default.CreatePool(args[1], args[2].Split(','), options);
                var handle = await counted.AcquireAsync();
                Witness("ENTER");
                Say($"HELD {(handle.Member ?? handle.Slot.ToString(CultureInfo.InvariantCulture))}");
                while (Console.ReadLine() is { } line && line != "release") { }
                Witness("EXIT");
                await handle.DisposeAsync();
                Say("RELEASED");
                return 0;
            }
        case "slotloop":
            {
                var counted = LockFactory.Default.CreateSemaphore(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
                var iterations = int.Parse(args[3], CultureInfo.InvariantCulture);
                Say("STARTED");
                for (var i = 0; i < iterations; i++)
                {
                    using (counted.Acquire())
                    {
                        Witness("ENTER");
                        Thread.Yield();
                        Witness("EXIT");
                    }
                }
                Say("DONE");
                return 0;
            }
        case "settings":
            {
                var s = LockFactory.Default.Settings;
                Say($"lock_path={s.LockPath} ({s.OriginOf(nameof(s.LockPath))})");
                Say($"disable_process_locking={s.DisableProcessLocking}");
                Say($"lock_file_prefix={s.LockFilePrefix}");
                Say($"backend={LockFactory.Default.CreateLock("probe").Location}");
                return 0;
            }
        default:
            Console.Error.WriteLine("usage: hold NAME [read|write] [OWNER] | wait NAME [read|write] | count NAME FILE ITERATIONS THREADS | fence NAME FILE ITERATIONS | settings");
            return 2;
    }
}
catch (TestLocksException e)
{
    // Tests assert on this line: the error type and its whole message.
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 3;
}

TestLock Lock(string name, string? mode, string? owner, Action<LockWaitNotice>? onWaiting = null)
{
    var options = new LockOptions { Owner = owner, OnWaiting = onWaiting };
    return mode == "read"
        ? LockFactory.Default.CreateReaderWriterLock(name, options).ReadLock
        : LockFactory.Default.CreateLock(name, options);
}

// An independent witness of who held the lock when: this process's own append-only file, with the machine's
// monotonic clock, which every process reads alike.
static string? WitnessFile() => Environment.GetEnvironmentVariable("TESTLOCKS_TEST_WITNESS") is { Length: > 0 } f ? f : null;

static void Witness(string what)
{
    if (WitnessFile() is { } file) File.AppendAllText(file, $"{what} {Stopwatch.GetTimestamp()}\n");
}

void Say(string line)
{
    output.WriteLine(line);
    output.Flush();
}

// A deliberately slow read-modify-write: without the lock, concurrent workers lose updates.
static void Increment(string file)
{
    var text = File.Exists(file) ? File.ReadAllText(file) : "";
    var value = text.Length == 0 ? 0 : int.Parse(text, CultureInfo.InvariantCulture);
    Thread.Yield();
    File.WriteAllText(file, (value + 1).ToString(CultureInfo.InvariantCulture));
}

/// <summary>Asks for one lock, as a test's [ExternalLock] would.</summary>
internal sealed class Asks(string name) : TestLocks.Adapters.ILockRequestSource
{
    public IEnumerable<TestLocks.Adapters.LockRequest> RequestsFor(TestLocks.Testing.TestCaseInfo testCase) => [new(name)];
}

/// <summary>A test's output, as "LINE &lt;line&gt;" on standard output.</summary>
internal sealed class SayingChannel(Action<string> say) : TestLocks.Adapters.TestChannel
{
    protected override void WriteLine(string line) => say("LINE " + line);
}
