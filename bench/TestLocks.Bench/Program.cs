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
    case "sched":
        return Scheduling.Run(args[1], args[2], args[3], args[4..]);
    default:
        Console.Error.WriteLine("usage: uncontended|backends [BenchmarkDotNet args] | quick DIR N | handoff DIR N");
        return 2;
}
