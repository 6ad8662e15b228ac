#!/usr/bin/env bash
# Old code against new, alternated: the marked and unmarked classes of bench/frameworks.sh run from two checkouts' Release
# builds (OLD: another checkout, e.g. a worktree of main, built with `dotnet build -c Release`; NEW: this one, built here),
# one after the other in every round, so that both see the same load. For each run: CPU time and allocated bytes per test
# (PerTestClock's window), and what perf counts in the whole test process (NUnit and xUnit v2: everything `dotnet test`
# starts, VSTest included): system calls, context switches and, where the machine has a hardware PMU, user-mode
# instructions. Counts do not depend on the load; CPU time does. Printed per framework and side: marked - unmarked per
# round (median [min .. max]) for CPU time, allocation, each count; and old against new on the same class.
# Runs the test executables from a scratch directory (nothing is written in either checkout). Needs perf with syscall
# tracepoints (root, or perf_event_paranoid <= 1). docs/benchmarks.md says which figure is the verdict and why.
#   OLD=/work/main ROUNDS=3 BENCH_TESTS=20000 bench/frameworks-ab.sh XunitV3 MSTest NUnit TUnit XunitV2
#   OLD=/work/main ROUNDS=4 SIDES=new bench/frameworks-ab.sh TUnit   # only the new build (OLD still names a checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
new=$PWD old=${OLD:?OLD=path of the old checkout}
rounds=${ROUNDS:-3}
sides=(${SIDES:-old new})
frameworks=("$@")
[ ${#frameworks[@]} -gt 0 ] || frameworks=(MSTest XunitV3 NUnit TUnit XunitV2)
[ -n "${NO_BUILD:-}" ] || for fw in "${frameworks[@]}"; do dotnet build "bench/TestLocks.Bench.$fw" -c Release -nologo -v quiet >/dev/null; done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# TUnit's HTML reporter (on by default in TUnit 1.81) listens to every ActivitySource and writes each test's spans, TestLocks'
# lock spans among them, into a JSON report at the end of the run: about 240 us of CPU per test of every kind on this
# machine, whose end-of-run share varies by more than the overhead measured. Off unless TUNIT_HTML=1 (docs/benchmarks.md).
[ -n "${TUNIT_HTML:-}" ] || export TUNIT_DISABLE_HTML_REPORTER=1
# Idle thread-pool workers do not spin (SPIN=1 keeps the runtime's default): their spinning charges a longer test about
# twice on 2 cores (bench/frameworks.sh, docs/benchmarks.md, issue 21); without it a wake-up shows as futex calls.
[ "${SPIN:-0}" = 1 ] || export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
export DOTNET_TieredCompilation=0 TESTLOCKS_LOCK_PATH="$out/locks" BENCH_TESTS="${BENCH_TESTS:-20000}" BENCH_OUT="$out/one"
events=syscalls:sys_enter_fcntl,syscalls:sys_enter_pwrite64,syscalls:sys_enter_statx,syscalls:sys_enter_futex,syscalls:sys_enter_sched_yield,context-switches
# User-mode instructions: the count least touched by other load, where the CPU's counters reach the machine (a VM
# without a virtual PMU says "<not supported>"; then the column reads nan).
perf stat -x, -e instructions:u -o "$out/probe" -- true 2>/dev/null && grep -q '^[0-9]' "$out/probe" && events+=,instructions:u

one() { # ROOT FRAMEWORK CLASS
  local dll="$1/bench/TestLocks.Bench.$2/bin/Release/net10.0/TestLocks.Bench.$2.dll"
  case "$2" in
    MSTest) set -- dotnet "$dll" --filter "FullyQualifiedName~TestLocks.Bench.MSTest.$3." --progress off --results-directory "$out/results" ;;
    XunitV3) set -- dotnet "$dll" -class "TestLocks.Bench.XunitV3.$3" -noLogo ;;
    TUnit) set -- dotnet "$dll" --treenode-filter "/*/*/$3/*" --maximum-parallel-tests 1 --progress off --results-directory "$out/results" ;;
    XunitV2) set -- dotnet test "$dll" --filter "FullyQualifiedName~TestLocks.Bench.XunitV2.$3." --nologo --results-directory "$out/results" ;;
    # Above AssemblySelectLimit (2,000) selected tests NUnit's adapter drops the filter and runs every class.
    NUnit) set -- dotnet test "$dll" --filter "FullyQualifiedName~TestLocks.Bench.NUnit.$3." --nologo --results-directory "$out/results" -- NUnit.AssemblySelectLimit=1000000 ;;
    *) echo "frameworks-ab.sh: MSTest, XunitV3, XunitV2, NUnit or TUnit, not $2" >&2; return 2 ;;
  esac
  # VSTest may end its test host before the host's exit handlers ran (then no figure): such a run is run again.
  for attempt in 1 2 3; do
    rm -f "$BENCH_OUT"
    (cd "$out" && perf stat -x, -o "$out/stat" -e "$events" -- "$@" >"$out/log" 2>&1) || { cat "$out/log"; return 1; }
    [ -s "$BENCH_OUT" ] && return 0
    echo "   $2 $3: no figure (attempt $attempt), run again" >&2
  done
  cat "$out/log"; return 1
}

echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); idle pool workers $([ "${SPIN:-0}" = 1 ] && echo spin || echo "do not spin"); $BENCH_TESTS tests per run, $rounds rounds; old $old, new $new; TUnit HTML reporter $([ -n "${TUNIT_DISABLE_HTML_REPORTER:-}" ] && echo off || echo on)"
for round in $(seq "$rounds"); do
  for fw in "${frameworks[@]}"; do
    classes=(Marked Unmarked)
    # Which class goes first alternates too (and between rounds, which side): the load a previous holder of the machine
    # left decays over the first minutes, and a class always run first would pay more of it (NUnit's marked class did).
    [ $(((round + 1) / 2 % 2)) -eq 0 ] && classes=(Unmarked Marked)
    for class in "${classes[@]}"; do
      order=("${sides[@]}")
      [ $((round % 2)) -eq 0 ] && order=($(printf '%s\n' "${sides[@]}" | tac)) # alternate who goes first
      for side in "${order[@]}"; do
        one "${!side}" "$fw" "$class"
        counts=$(grep -v '^#' "$out/stat" | awk -F, 'NF > 2 { printf "%s|", ($1 ~ /^[0-9.]+$/ ? $1 : "nan") }')
        [[ $events == *instructions* ]] || counts+="nan|"
        echo "$round|$side|$fw|$class|$(cut -d'|' -f2- "$BENCH_OUT" | tr -d '\n')|$counts$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/runs"
      done
    done
  done
done
python3 - "$out/runs" <<'PY'
import math, statistics, sys
from collections import defaultdict
runs = defaultdict(dict)  # (fw, side, class) -> round -> row
names = ["fcntl", "pwrite64", "statx", "futex", "sched_yield", "switches", "instr"]
for line in open(sys.argv[1]):
    f = line.strip().split("|")
    rnd, side, fw, cls, tests, wall, cpu, user, system, alloc, sw = f[:11]
    counts = [float(x) for x in f[11:18]]
    runs[(fw, side, cls)][int(rnd)] = dict(tests=int(tests), cpu=float(cpu), alloc=float(alloc), counts=[c / int(tests) for c in counts], load=float(f[18]))
med = statistics.median
def spread(xs, fmt="6.1f"):
    return f"{med(xs):{fmt}} [{min(xs):{fmt}} .. {max(xs):{fmt}}]" if xs else "-"
def pairs(a, b, get):  # per-round differences a - b
    return [get(a[k]) - get(b[k]) for k in sorted(a) if k in b]
print("per test, median [min .. max] over the rounds of the per-round differences; counts are the whole process's / tests (start-up included)")
for fw in dict.fromkeys(k[0] for k in runs):
    for side in ("old", "new"):
        m, u = runs.get((fw, side, "Marked")), runs.get((fw, side, "Unmarked"))
        if not m or not u: continue
        loads = [r["load"] for r in list(m.values()) + list(u.values())]
        print(f"  {fw:8} {side}: marked {med([r['cpu'] for r in m.values()]):6.1f} unmarked {med([r['cpu'] for r in u.values()]):6.1f} us CPU; "
              f"marked - unmarked {spread(pairs(m, u, lambda r: r['cpu']))} us, {med(pairs(m, u, lambda r: r['alloc'])):6.0f} B allocated; load {min(loads):.0f}-{max(loads):.0f}")
        for cls, rows in (("marked", m), ("unmarked", u)):
            print(f"           {cls:8} " + "  ".join(f"{n} {med([r['counts'][i] for r in rows.values()]):.2f}" for i, n in enumerate(names)))
        print("           m - u    " + "  ".join(f"{n} {med(pairs(m, u, lambda r, i=i: r['counts'][i])):.2f}" for i, n in enumerate(names)))
    for cls in ("Marked", "Unmarked"):
        o, n = runs.get((fw, "old", cls)), runs.get((fw, "new", cls))
        if o and n:
            print(f"  {fw:8} {cls:8} new - old: {spread(pairs(n, o, lambda r: r['cpu']))} us CPU, {med(pairs(n, o, lambda r: r['alloc'])):6.0f} B, "
                  f"instr {med(pairs(n, o, lambda r: r['counts'][6])):.0f}")
PY
