#!/usr/bin/env bash
# Old code against new, alternated: the marked and unmarked classes of bench/frameworks.sh run from two checkouts' Release
# builds (OLD: another checkout, e.g. a worktree of main, built with `dotnet build -c Release`; NEW: this one, built here),
# one after the other in every round, so that both see the same load. Beside CPU time per test (PerTestClock), the
# system calls and context switches per test that perf counts in the whole test process: those do not depend on the
# load, so they show a change that CPU time on a busy machine cannot. Runs the test executables from a scratch
# directory (nothing is written in either checkout). Needs perf with syscall tracepoints (root, or perf_event_paranoid <= 1).
#   OLD=/work/main ROUNDS=3 BENCH_TESTS=20000 bench/frameworks-ab.sh XunitV3 MSTest
set -euo pipefail
cd "$(dirname "$0")/.."
new=$PWD old=${OLD:?OLD=path of the old checkout}
rounds=${ROUNDS:-3}
frameworks=("$@")
[ ${#frameworks[@]} -gt 0 ] || frameworks=(MSTest XunitV3)
for fw in "${frameworks[@]}"; do dotnet build "bench/TestLocks.Bench.$fw" -c Release -nologo -v quiet >/dev/null; done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export DOTNET_TieredCompilation=0 TESTLOCKS_LOCK_PATH="$out/locks" BENCH_TESTS="${BENCH_TESTS:-20000}" BENCH_OUT="$out/one"
events=syscalls:sys_enter_fcntl,syscalls:sys_enter_pwrite64,syscalls:sys_enter_statx,syscalls:sys_enter_futex,syscalls:sys_enter_sched_yield,context-switches

one() { # ROOT FRAMEWORK CLASS
  local dll="$1/bench/TestLocks.Bench.$2/bin/Release/net10.0/TestLocks.Bench.$2.dll"
  case "$2" in
    MSTest) set -- dotnet "$dll" --filter "FullyQualifiedName~TestLocks.Bench.MSTest.$3." --progress off --results-directory "$out/results" ;;
    XunitV3) set -- dotnet "$dll" -class "TestLocks.Bench.XunitV3.$3" -noLogo ;;
    *) echo "frameworks-ab.sh: MSTest or XunitV3, not $2" >&2; return 2 ;;
  esac
  (cd "$out" && perf stat -x, -o "$out/stat" -e "$events" -- "$@" >"$out/log" 2>&1) || { cat "$out/log"; return 1; }
}

echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $BENCH_TESTS tests per run, $rounds rounds; old $old, new $new"
for round in $(seq "$rounds"); do
  for fw in "${frameworks[@]}"; do
    for class in Marked Unmarked; do
      for side in old new; do
        [ $((round % 2)) -eq 0 ] && side=$([ $side = old ] && echo new || echo old) # alternate who goes first
        rm -f "$BENCH_OUT"
        one "${!side}" "$fw" "$class"
        counts=$(grep -v '^#' "$out/stat" | awk -F, 'NF > 2 { printf "%s|", $1 }')
        echo "$round|$side|$fw|$class|$(cut -d'|' -f2- "$BENCH_OUT" | tr -d '\n')|$counts$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/runs"
      done
    done
  done
done
python3 - "$out/runs" <<'PY'
import statistics, sys
from collections import defaultdict
runs = defaultdict(list)  # (fw, side, class) -> rows
names = ["fcntl", "pwrite64", "statx", "futex", "sched_yield", "switches"]
for line in open(sys.argv[1]):
    f = line.strip().split("|")
    rnd, side, fw, cls, tests, wall, cpu, user, system, alloc, sw = f[:11]
    counts = [float(x) for x in f[11:17]]
    runs[(fw, side, cls)].append(dict(round=int(rnd), tests=int(tests), cpu=float(cpu), alloc=float(alloc), counts=counts, load=float(f[17])))
med = statistics.median
print("per test, median [min .. max] over the rounds; system calls and switches of the whole process / tests (start-up included)")
for fw in dict.fromkeys(k[0] for k in runs):
    for side in ("old", "new"):
        m, u = runs[(fw, side, "Marked")], runs[(fw, side, "Unmarked")]
        d = [a["cpu"] - b["cpu"] for a, b in zip(sorted(m, key=lambda r: r["round"]), sorted(u, key=lambda r: r["round"]))]
        print(f"  {fw:8} {side}: marked {med([r['cpu'] for r in m]):6.1f} unmarked {med([r['cpu'] for r in u]):6.1f} us CPU; "
              f"marked - unmarked {med(d):6.1f} [{min(d):6.1f} .. {max(d):6.1f}] us; load {min(r['load'] for r in m + u):.0f}-{max(r['load'] for r in m + u):.0f}")
        for cls, rows in (("marked", m), ("unmarked", u)):
            per = [[c / r["tests"] for c in r["counts"]] for r in rows]
            print(f"           {cls:8} " + "  ".join(f"{n} {med([p[i] for p in per]):.2f}" for i, n in enumerate(names)))
PY
