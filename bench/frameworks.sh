#!/usr/bin/env bash
# Per-test overhead of all five surfaces (MSTest, TUnit, xUnit v2, xUnit v3, NUnit) in one run, through each
# framework's own runner (MSTest, TUnit and xUnit v3 executables; dotnet test on VSTest for xUnit v2 and NUnit): BENCH_TESTS (default 5000)
# empty test cases marked [ExternalLock("bench-marked", Mode = LockMode.Read)] (read: no test waits for the last one's
# release, so this is overhead, not hand-off) against the same test cases unmarked, each class timed inside
# its test process from class set-up to class clean-up, alternating the runs ROUNDS (default 3) times. For TUnit also
# an attribute that receives the same test events and does nothing: what TUnit itself charges for the hook; for xUnit
# an attribute that xUnit runs before and after each test, as it runs TestLocks' attributes, and that does nothing.
# Prints each run and the overhead per test from the fastest run of each kind (the least disturbed by other load on
# the machine); the goal is under 50 us (issue 21).
#   bench/frameworks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for p in MSTest TUnit XunitV2 XunitV3 NUnit; do dotnet build "bench/TestLocks.Bench.$p" -c Release -nologo -v quiet >/dev/null; done
export BENCH_OUT="$out/runs" TESTLOCKS_LOCK_PATH="$out/locks" BENCH_TESTS="${BENCH_TESTS:-5000}"
mstest="bench/TestLocks.Bench.MSTest/bin/Release/net10.0/TestLocks.Bench.MSTest.dll"
tunit="bench/TestLocks.Bench.TUnit/bin/Release/net10.0/TestLocks.Bench.TUnit.dll"
xunit2="bench/TestLocks.Bench.XunitV2/bin/Release/net10.0/TestLocks.Bench.XunitV2.dll"
xunit3="bench/TestLocks.Bench.XunitV3/bin/Release/net10.0/TestLocks.Bench.XunitV3.dll"
nunit="bench/TestLocks.Bench.NUnit/bin/Release/net10.0/TestLocks.Bench.NUnit.dll"
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $BENCH_TESTS test cases per run, $rounds rounds"
for _ in $(seq "$rounds"); do
  for class in Marked Unmarked; do
    dotnet "$mstest" --filter "FullyQualifiedName~TestLocks.Bench.MSTest.$class." --progress off >/dev/null
  done
  for class in Marked Unmarked ReceiverOnly; do
    dotnet "$tunit" --treenode-filter "/*/*/$class/*" --maximum-parallel-tests 1 --progress off >/dev/null
  done
  for class in Marked Unmarked BeforeAfterOnly; do
    dotnet test "$xunit2" --filter "FullyQualifiedName~TestLocks.Bench.XunitV2.$class." --nologo >/dev/null
    dotnet "$xunit3" -class "TestLocks.Bench.XunitV3.$class" -noLogo >/dev/null
  done
  # NUnit's adapter runs every class of the assembly once more than 2,000 tests are selected: one run times both
  # classes, after an untimed warm-up class (A_WarmUp).
  dotnet test "$nunit" --nologo >/dev/null
done
sed 's/|/ /g' "$out/runs" | awk '{ printf "  %-28s %s tests: %7.1f us/test\n", $1" "$2, $3, $4 }'
fastest() { grep "^$1|" "$out/runs" | cut -d'|' -f3 | sort -n | head -1; }
difference() {  # label, slower kind, faster kind
  awk -v label="$1" -v a="$(fastest "$2")" -v b="$(fastest "$3")" 'BEGIN { printf "%s: %.1f us (fastest runs: %.1f - %.1f us/test)\n", label, a - b, a, b }'
}
difference "MSTest per-test overhead of a marked test over an unmarked one" "MSTest marked" "MSTest unmarked"
difference "TUnit per-test overhead of a marked test over an unmarked one" "TUnit marked" "TUnit unmarked"
difference "  of which TUnit's own cost of a do-nothing start/end receiver" "TUnit receiver-only" "TUnit unmarked"
difference "xUnit v2 per-test overhead of a marked test over an unmarked one" "xUnit-v2 marked" "xUnit-v2 unmarked"
difference "  of which xUnit v2's own cost of a do-nothing BeforeAfterTestAttribute" "xUnit-v2 before-after-only" "xUnit-v2 unmarked"
difference "xUnit v3 per-test overhead of a marked test over an unmarked one" "xUnit-v3 marked" "xUnit-v3 unmarked"
difference "  of which xUnit v3's own cost of a do-nothing BeforeAfterTestAttribute" "xUnit-v3 before-after-only" "xUnit-v3 unmarked"
difference "NUnit per-test overhead of a marked test over an unmarked one" "NUnit marked" "NUnit unmarked"
