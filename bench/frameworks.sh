#!/usr/bin/env bash
# Per-test overhead of the MSTest and TUnit surfaces, through each framework's own runner: BENCH_TESTS (default 5000)
# empty test cases marked [ExternalLock("bench-marked")] against the same test cases unmarked, each class timed inside
# its test process from class set-up to class clean-up, alternating marked and unmarked runs ROUNDS (default 3) times.
# Prints each run and the overhead per test from the fastest run of each kind (the least disturbed by other load on
# the machine); the goal is under 0.1 ms (100 us).
#   bench/frameworks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for p in MSTest TUnit; do dotnet build "bench/TestLocks.Bench.$p" -c Release -nologo -v quiet >/dev/null; done
export BENCH_OUT="$out/runs" TESTLOCKS_LOCK_PATH="$out/locks" BENCH_TESTS="${BENCH_TESTS:-5000}"
mstest="bench/TestLocks.Bench.MSTest/bin/Release/net10.0/TestLocks.Bench.MSTest.dll"
tunit="bench/TestLocks.Bench.TUnit/bin/Release/net10.0/TestLocks.Bench.TUnit.dll"
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $BENCH_TESTS test cases per run, $rounds rounds"
for _ in $(seq "$rounds"); do
  for class in Marked Unmarked; do
    dotnet "$mstest" --filter "FullyQualifiedName~TestLocks.Bench.MSTest.$class." --progress off >/dev/null
    dotnet "$tunit" --treenode-filter "/*/*/$class/*" --maximum-parallel-tests 1 --progress off >/dev/null
  done
done
sed 's/|/ /g' "$out/runs" | awk '{ printf "  %-16s %s tests: %7.1f us/test\n", $1" "$2, $3, $4 }'
for fw in MSTest TUnit; do
  fastest() { grep "^$fw $1|" "$out/runs" | cut -d'|' -f3 | sort -n | head -1; }
  m=$(fastest marked); u=$(fastest unmarked)
  awk -v fw="$fw" -v m="$m" -v u="$u" 'BEGIN { printf "%s per-test overhead of a marked test over an unmarked one: %.1f us (fastest runs: %.1f - %.1f us/test)\n", fw, m - u, m, u }'
done
