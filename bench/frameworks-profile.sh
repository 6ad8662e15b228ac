#!/usr/bin/env bash
# Where the CPU time of one benchmark class of bench/frameworks.sh goes, inside its measured window only (start-up,
# discovery and the warm-up tests left out): perf record (CLOCK_MONOTONIC, with the runtime's perf map for JIT-compiled
# code) over one run, then the samples of the test process within the window that PerTestClock reports, as inclusive
# and exclusive shares per symbol. Needs perf.
#   bench/frameworks-profile.sh NUnit unmarked       # FRAMEWORK (MSTest TUnit XunitV2 XunitV3 NUnit), KIND (marked unmarked do-nothing)
#   TOP=80 MATCH=TestLocks bench/frameworks-profile.sh XunitV2 marked    # only symbols containing MATCH, 80 of them
set -euo pipefail
cd "$(dirname "$0")/.."
fw=$1 kind=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build "bench/TestLocks.Bench.$fw" -c Release -nologo -v quiet >/dev/null

export TESTLOCKS_LOCK_PATH="$out/locks" BENCH_TESTS="${BENCH_TESTS:-10000}" BENCH_OUT="$out/one" BENCH_WINDOW="$out/window"
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_TieredCompilation=0
perf record -q -k CLOCK_MONOTONIC -F "${FREQ:-999}" -g -o "$out/perf.data" -- bash -c "source bench/frameworks-run.sh; run $fw $kind" >"$out/log" 2>&1 \
  || { cat "$out/log"; exit 1; }
cat "$out/one"
[ -z "${KEEP:-}" ] || cp "$out/perf.data" "$out/window" "$KEEP/"
perf script -i "$out/perf.data" -F comm,pid,tid,time,ip,sym,dso 2>/dev/null | python3 bench/perf-window.py "$out/window" "${TOP:-50}" "${MATCH:-}"
