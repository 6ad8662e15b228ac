// TestLocks benchmarks. Run through bench/run.sh, which puts them side by side with the Python anchors and the
// kernel limit (bench/anchors/limit.c) in one run.
//
//   uncontended              BenchmarkDotNet: acquire+release of one lock, nobody else contending
//   observability            BenchmarkDotNet: the OpenTelemetry hooks (off, and listened to) and the run journal per acquire
//   backends                 BenchmarkDotNet: acquire+release on PostgreSQL and Redis, TestLocks against DistributedLock
//                            used directly (run through bench/backends.sh, which starts the servers)
//   backends-quick URL N     the same comparison as plain alternating loops of N operations (less noise on 2 cores)
//   quick DIR N              plain loops: N external acquire+release, N/10 per-test lock sets (bench/run.sh tabulates them)
//   handoff DIR N            cross-process handoff latency p50/p90/p99: this process and a child pass the lock back and forth
//   handoff-child DIR N      (started by handoff)
//   contend DIR N SECONDS    N processes on one lock, each acquiring, holding ~1 ms, releasing, for SECONDS: acq/s, handoff
//                            p50/p99, client CPU per acquire, most/fewest acquires of a process (TESTLOCKS_BACKEND_URL,
//                            CONTEND_DIRECT=1 for DistributedLock directly)
//   contend-child DIR I SECONDS (started by contend)
//   pool DIR P M I HOLD_MS   P processes lease a member of a pool of M, I times each, holding HOLD_MS: busy % of ideal
//   killstress DIR P N SECS  P processes on a counted lock of N slots, one SIGKILLed every ~300 ms, checked by a witness
//                            (both: files, or TESTLOCKS_BACKEND_URL; run through bench/counted.sh; HANDOFF_SLOTS=N makes
//                            handoff use a counted lock)
//   sched LABEL T D_MS CMD.. the scheduling benchmark: hold "sched-lock" T seconds while CMD runs a bench/Scheduling
//                            suite (run through bench/sched.sh)
using System.Diagnostics;
using BenchmarkDotNet.Running;
using TestLocks.Bench;

switch (args.FirstOrDefault())
{
    case "uncontended":
        BenchmarkRunner.Run<UncontendedBenchmarks>(args: args.Skip(1).ToArray());
        return 0;
    case "observability":
        BenchmarkRunner.Run<ObservabilityBenchmarks>(args: args.Skip(1).ToArray());
        return 0;
    case "backends":
        BenchmarkRunner.Run<BackendBenchmarks>(args: args.Skip(1).ToArray());
        return 0;
    case "backends-quick":
        return BackendQuick.Run(args[1], int.Parse(args[2]));
    case "quick":
        Uncontended.Run(args[1], int.Parse(args[2]));
        PerTest.Run(args[1], int.Parse(args[2]) / 10);
        return 0;
    case "handoff":
        return Handoff.Run(args[1], int.Parse(args[2]), child: false);
    case "handoff-child":
        return Handoff.Run(args[1], int.Parse(args[2]), child: true);
    case "contend":
        return Contention.Run(args[1], int.Parse(args[2]), double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
    case "contend-child":
        return Contention.Child(args[1], int.Parse(args[2]), double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
    case "pool":
        return Counted.Pool(args[1], int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4]), int.Parse(args[5]));
    case "pool-child":
        return Counted.PoolChild(args[1], int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4]), int.Parse(args[5]));
    case "killstress":
        return Counted.KillStress(args[1], int.Parse(args[2]), int.Parse(args[3]), double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
    case "killstress-child":
        return Counted.KillStressChild(args[1], int.Parse(args[2]), args[3]);
    case "sched":
        return Scheduling.Run(args[1], args[2], args[3], args[4..]);
    default:
        Console.Error.WriteLine("usage: uncontended|backends [BenchmarkDotNet args] | quick DIR N | handoff DIR N");
        return 2;
}
