#!/usr/bin/env bash
# The fault-injection suite (tests/TestLocks.Backends.Tests, FaultSuiteTests) at ROUNDS rounds of each fault instead of
# CI's 3, against the real PostgreSQL and Redis its fixtures start, then per fault and backend: the time from the fault
# until the holder knew it lost the lock and until the waiter had it (min / median / max, ms), and the overlapping holds
# the witness saw (detected: the earlier holder was told it lost the lock; UNDETECTED must stay 0).
# Usage: bash bench/faults.sh [ROUNDS]      (default 20; figures go to docs/backends.md by hand)
#        FAULT_FILTER='DisplayName~Reset' bash bench/faults.sh 20      (one fault only)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-${ROUNDS:-20}}
report=$(mktemp /tmp/testlocks-faults-XXXXXX.txt)
trap 'rm -f "$report"' EXIT
dotnet build tests/TestLocks.Backends.Tests -c Release -nologo -v quiet >/dev/null
start=$(date +%s)
FAULT_ROUNDS=$rounds FAULT_REPORT=$report dotnet test tests/TestLocks.Backends.Tests -c Release --no-build \
  --filter "FullyQualifiedName~FaultTests${FAULT_FILTER:+&$FAULT_FILTER}" || status=$?
echo "$rounds rounds per fault, $(( $(date +%s) - start )) s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$report" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    backend, fault, _round, lost, acquired, overlap = line.split()
    rows[(backend, fault)].append((None if lost == "-" else int(lost), int(acquired), overlap))
def span(values):
    values = [v for v in values if v is not None]
    if not values: return "kept the lock"
    return f"{min(values)} / {int(statistics.median(values))} / {max(values)}"
print("| backend | fault | rounds | holder knew it lost the lock, ms min / median / max | waiter had it, ms | overlaps: detected, UNDETECTED |")
print("|---|---|---|---|---|---|")
for (backend, fault), r in sorted(rows.items()):
    detected = sum(o == "detected" for _, _, o in r); undetected = sum(o == "UNDETECTED" for _, _, o in r)
    print(f"| {backend} | {fault} | {len(r)} | {span([l for l, _, _ in r])} | {span([a for _, a, _ in r])} | {detected}, {undetected} |")
PY
exit "${status:-0}"
