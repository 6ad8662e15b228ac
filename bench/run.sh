#!/usr/bin/env bash
# Runs every benchmark side by side in one run on this machine: TestLocks (BenchmarkDotNet and the cross-process
# harness), the kernel limit (anchors/limit.c, compiled with cc) and the Python anchors (oslo.concurrency,
# fasteners, filelock through Debian's /usr/bin/python3). Prints a markdown table at the end.
#   bench/run.sh            everything (about 3 minutes)
#   bench/run.sh --quick    without BenchmarkDotNet
set -euo pipefail
cd "$(dirname "$0")/.."
bash build/setup.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build bench/TestLocks.Bench -c Release -nologo -v quiet >/dev/null
bench="dotnet $PWD/bench/TestLocks.Bench/bin/Release/net10.0/TestLocks.Bench.dll"
cc -O2 -o "$out/limit" bench/anchors/limit.c
dir=$(mktemp -d "$out/locks.XXXX")

echo "== machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== kernel limit (C)";                 "$out/limit" uncontended 200000 "$dir" | tee "$out/limit-u"; "$out/limit" handoff 2000 "$dir" | tee "$out/limit-h"
echo "== TestLocks uncontended (plain loop)"; $bench quick "$dir" 200000 | tee "$out/tl-u"
echo "== TestLocks handoff";                $bench handoff "$dir" 2000 | tee "$out/tl-h"
echo "== Python anchors, uncontended";      DURATION=1 /usr/bin/python3 bench/anchors/bench_uncontended.py | tee "$out/py-u"
for kind in oslo fasteners filelock; do
  echo "== Python anchor handoff: $kind";   /usr/bin/python3 bench/anchors/handoff.py "$kind" 40 > "$out/py-h-all-$kind"; head -1 "$out/py-h-all-$kind" | tee "$out/py-h-$kind"
done
if [ "${1:-}" != "--quick" ]; then
  echo "== TestLocks uncontended (BenchmarkDotNet)"
  # BenchmarkDotNet builds its runner next to the project, so it runs from there; its artifacts go to $out.
  (cd bench/TestLocks.Bench && $bench uncontended --filter '*' --exporters markdown --artifacts "$out/bdn-artifacts" >"$out/bdn.log" 2>&1) \
    || { tail -20 "$out/bdn.log"; exit 1; }
  cat "$out"/bdn-artifacts/results/*.md | tee "$out/bdn"
fi

num() { grep -oE "$1 [0-9.]+" "$2" | head -1 | awk '{print $NF}'; }
c_open=$(grep -oE 'close: [0-9]+' "$out/limit-u" | awk '{print $2/1000}')
c_fd=$(grep -oE 'open fd: [0-9]+' "$out/limit-u" | awk '{print $3/1000}')
tl_u=$(grep -oE 'external Acquire\+Dispose: [0-9]+' "$out/tl-u" | awk '{print $3/1000}')
tl_in=$(grep -oE 'in-process Acquire\+Dispose: [0-9]+' "$out/tl-u" | awk '{print $3/1000}')
py_us() { grep -F "$1" "$out/py-u" | grep -oE '[0-9.]+ us/op' | awk '{print $1}'; }
pct() { grep -oE "$1=[0-9.]+" "$2" | head -1 | cut -d= -f2; }
echo
echo "| operation | TestLocks | oslo external | fasteners | filelock | kernel limit (C) |"
echo "|---|---|---|---|---|---|"
printf "| uncontended acquire+release (µs) | %s (in-process only: %s) | %s | %s | %s | %s open+lock+unlock+close; %s on an open fd |\n" \
  "$tl_u" "$tl_in" "$(py_us "(a) oslo")" "$(py_us "(b) fasteners")" "$(py_us "(c) filelock")" "$c_open" "$c_fd"
tl_sync=$(grep 'sync Acquire' "$out/tl-h" | grep -oE 'p50 [0-9.]+ us, p90 [0-9.]+ us, p99 [0-9.]+' | awk '{printf "%.3f / %.3f / %.3f", $2/1000, $5/1000, $8/1000}')
tl_async=$(grep 'AcquireAsync' "$out/tl-h" | grep -oE 'p50 [0-9.]+ us, p90 [0-9.]+ us, p99 [0-9.]+' | awk '{printf "%.3f / %.3f / %.3f", $2/1000, $5/1000, $8/1000}')
c_h=$(grep -oE 'p50 [0-9.]+ us, p90 [0-9.]+ us, p99 [0-9.]+' "$out/limit-h" | awk '{printf "%.3f / %.3f / %.3f", $2/1000, $5/1000, $8/1000}')
py_h() { printf "%s / %s / -" "$(pct p50 "$out/py-h-$1")" "$(pct p90 "$out/py-h-$1")"; }
pt_un=$(grep -oE 'unmarked test \(serial read lock\): [0-9.]+' "$out/tl-u" | awk '{print $NF}')
pt_mk=$(grep -oE 'marked test \(serial read \+ 1 name\): [0-9.]+' "$out/tl-u" | grep -v unmarked | awk '{print $NF}')
printf "| per-test lock overhead (µs): unmarked (serial read) / marked (+1 name) | %s / %s | - | - | - | - |\n" "$pt_un" "$pt_mk"
printf "| cross-process handoff p50 / p90 / p99 (ms) | sync %s; async %s | %s | %s | %s | %s |\n" \
  "$tl_sync" "$tl_async" "$(py_h oslo)" "$(py_h fasteners)" "$(py_h filelock)" "$c_h"
