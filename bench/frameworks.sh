#!/usr/bin/env bash
# Per-test overhead of all five surfaces (MSTest, TUnit, xUnit v2, xUnit v3, NUnit), in CPU time, through each
# framework's own runner (MSTest, TUnit and xUnit v3 executables; dotnet test on VSTest for xUnit v2 and NUnit).
#
# Each framework has three classes of BENCH_TESTS (default 5000) empty test cases, each run in a test process of its own:
# - marked: [ExternalLock("bench-marked", Mode = LockMode.Read)] (read: no test waits for the last one's release, so
#   this is overhead, not hand-off);
# - unmarked: no attribute (in every framework it still goes through TestLocks' lifecycle and the serial lock's read
#   side: MSTest's and xUnit's hooks run for every test, NUnit's and TUnit's assembly attributes wrap every test);
# - do-nothing: an attribute of the kind TestLocks' are, that does nothing: what the framework itself charges for it
#   (MSTest: a condition attribute; TUnit: a start/end receiver; xUnit: a BeforeAfterTestAttribute; NUnit: an
#   IWrapSetUpTearDown wrapper, which replaces the assembly's TestLocks wrapper for that test: that row runs without
#   anything of TestLocks).
# Every test calls PerTestClock.Ran, which measures inside the test process, from the end of the class's first fifth
# (its warm-up: the JIT, paid once per process) to the process's exit (so that the results' reporting, which NUnit and
# xUnit do on threads of their own and which may lag the tests by seconds, is counted whole): the process's CPU time
# (user + system, all threads, getrusage), allocated bytes and context switches, per test of the window; wall time from
# the window's first test to its last. CPU time is what the figures use: other load on the machine stretches wall time
# many times over, CPU time much less. bench/frameworks-profile.sh shows where that CPU time goes.
# ROUNDS (default 5) rounds; within a round the classes of each framework run one after the other, in an order that
# rotates from round to round. Printed: each kind's median and range over the rounds, and the overheads as the median
# (and range) of the per-round differences (marked - unmarked in the same round). Goal: under 50 us (issue 21).
# The thread pool's idle workers do not spin (DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0; SPIN=1 keeps the runtime's
# default): on this 2-core machine an idle worker spins on the other core for as long as a test runs, so with spinning
# the process's CPU time charges any test that lasts longer about twice what it does (MSTest, 20 us of plain work in
# the test body: 41 to 54 us; docs/benchmarks.md, issue 21), and more or less by round as the spinning settles.
# CONTROL=1 adds MSTest's busy kind: unmarked tests with BENCH_BUSY_US (20) us of work in the body, so "busy - unmarked"
# says what the window charges for that much known work. The "items" column is the thread pool's work items per test:
# a marked test that hopped threads (an await completing asynchronously, a timer) would show more than an unmarked one.
#   bench/frameworks.sh                     # ROUNDS=3 BENCH_TESTS=2000 for a quicker look
#   bench/frameworks.sh NUnit XunitV2       # only the frameworks named
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
frameworks=("$@")
[ ${#frameworks[@]} -gt 0 ] || frameworks=(MSTest TUnit XunitV2 XunitV3 NUnit)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for p in "${frameworks[@]}"; do dotnet build "bench/TestLocks.Bench.$p" -c Release -nologo -v quiet >/dev/null; done
# Steady state: without the runtime's call-counting delay, methods move to optimized code after their first 30 calls;
# with it (100 ms, restarted by every method compiled meanwhile) a test process that keeps compiling new code (VSTest's,
# the adapters') stays in unoptimized code and recompiles in the background for seconds, which the window then counts.
export DOTNET_TieredCompilation=0
[ "${SPIN:-0}" = 1 ] || export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
export TESTLOCKS_LOCK_PATH="$out/locks" BENCH_TESTS="${BENCH_TESTS:-5000}" BENCH_POOL="$out/pool"
source bench/frameworks-run.sh

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $BENCH_TESTS test cases per run (the first $((BENCH_TESTS / 5)) not measured), $rounds rounds; idle thread-pool workers $([ "${SPIN:-0}" = 1 ] && echo spin || echo "do not spin")"
for round in $(seq "$rounds"); do
  for fw in "${frameworks[@]}"; do
    kinds=(marked unmarked do-nothing)
    [ "$fw" = MSTest ] && [ -n "${CONTROL:-}" ] && kinds+=(busy)
    for i in "${!kinds[@]}"; do
      kind=${kinds[$(((i + round) % ${#kinds[@]}))]}
      export BENCH_OUT="$out/one"
      rm -f "$BENCH_OUT"
      # VSTest may end its test host before the host's exit handlers ran (then no figure): such a run is run again.
      for attempt in 1 2 3; do
        rm -f "$BENCH_POOL"
        run "$fw" "$kind" >"$out/log" 2>&1 || { cat "$out/log"; echo "$fw $kind failed" >&2; exit 1; }
        [ -s "$BENCH_OUT" ] && break
        echo "   $fw $kind: no figure (attempt $attempt), run again"
      done
      [ -s "$BENCH_OUT" ] || { cat "$out/log"; echo "$fw $kind wrote no figure" >&2; exit 1; }
      items=$(cut -d'|' -f2 "$BENCH_POOL" 2>/dev/null | head -1)
      sed "s/^/$round|/; s/\$/|${items:-nan}/" "$BENCH_OUT" >>"$out/runs"
    done
  done
  echo "   round $round done, load $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out/runs" <<'EOF'
import statistics, sys
from collections import defaultdict
runs = defaultdict(dict)  # (framework, kind) -> round -> fields
for line in open(sys.argv[1]):
    rnd, label, tests, wall, cpu, user, system, alloc, switches, items = line.strip().split("|")
    fw, kind = label.split(" ", 1)
    runs[(fw, kind)][int(rnd)] = dict(wall=float(wall), cpu=float(cpu), user=float(user), sys=float(system), alloc=float(alloc), sw=float(switches), items=float(items))
def med(xs): return statistics.median(xs)
def spread(xs): return f"{med(xs):7.1f} [{min(xs):7.1f} .. {max(xs):7.1f}]"
print("per test (us of CPU = user + system of the test process; median [min .. max] over the rounds):")
print(f"  {'framework kind':26} {'CPU':>27} {'user':>7} {'sys':>6} {'wall':>7} {'alloc B':>8} {'switches':>8} {'items':>6}")
for (fw, kind), r in runs.items():
    v = list(r.values())
    print(f"  {fw + ' ' + kind:26} {spread([x['cpu'] for x in v])} {med([x['user'] for x in v]):7.1f} {med([x['sys'] for x in v]):6.1f} "
          f"{med([x['wall'] for x in v]):7.1f} {med([x['alloc'] for x in v]):8.0f} {med([x['sw'] for x in v]):8.2f} {med([x['items'] for x in v]):6.2f}")
def diff(fw, a, b, text):
    ra, rb = runs.get((fw, a)), runs.get((fw, b))
    if not ra or not rb: return
    d = [ra[k]["cpu"] - rb[k]["cpu"] for k in ra if k in rb]
    w = [ra[k]["wall"] - rb[k]["wall"] for k in ra if k in rb]
    a_ = [ra[k]["alloc"] - rb[k]["alloc"] for k in ra if k in rb]
    rounds = " ".join(f"{x:.0f}" for x in d)
    print(f"  {fw:10} {text:42} {spread(d)} us CPU ({rounds}), wall {med(w):6.1f}, {med(a_):6.0f} B")
print("overheads, per-round differences (median [min .. max]):")
for fw in dict.fromkeys(f for f, _ in runs):
    diff(fw, "marked", "unmarked", "marked - unmarked (the goal: < 50 us)")
    diff(fw, "do-nothing", "unmarked", "do-nothing attribute - unmarked")
    diff(fw, "marked", "do-nothing", "marked - do-nothing attribute")
    diff(fw, "busy", "unmarked", "busy - unmarked (known work in the body)")
EOF
