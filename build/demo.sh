#!/usr/bin/env bash
# The demo, in two parts.
# 1. Several processes (.NET TestLocks workers and Python oslo.concurrency workers) update one shared counter file
#    with a slow read-modify-write: first with process locking disabled (updates are lost), then with TestLocks'
#    lock on the same file oslo uses (the count is exact).
# 2. The seed's aggregates scenario as xUnit v3, xUnit v2, NUnit, MSTest and TUnit test suites, run as 7 concurrent test processes (shards)
#    against one file-backed "cloud": without locks the races fail tests; with [ExternalLock] everything passes,
#    then a per-lock summary (samples/TestLocks.Demo), and each run's timeline as an HTML page (testlocks report over
#    the run journal of every test process), whose paths it prints last.
set -euo pipefail
cd "$(dirname "$0")/.."
bash build/setup.sh
dotnet build tests/TestLocks.TestHelper -c Release -nologo -v quiet
helper=tests/TestLocks.TestHelper/bin/Release/net10.0/TestLocks.TestHelper.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # $1 = disable_process_locking
  local counter="$work/counter-$1" lock_path="$work/locks"
  export TESTLOCKS_LOCK_PATH="$lock_path" TESTLOCKS_LOCK_FILE_PREFIX=tempest- TESTLOCKS_DISABLE_PROCESS_LOCKING="$1"
  local pids=()
  for _ in 1 2 3; do dotnet "$helper" count availability_zone "$counter" 100 2 >/dev/null 2>&1 & pids+=($!); done
  if [ "$1" = false ]; then
    /usr/bin/python3 tests/TestLocks.Core.Tests/Interop/oslo_count.py availability_zone "$counter" "$lock_path" 200 >/dev/null & pids+=($!)
  else
    for _ in 1 2; do dotnet "$helper" count availability_zone "$counter" 100 1 >/dev/null 2>&1 & pids+=($!); done
  fi
  for p in "${pids[@]}"; do wait "$p" || true; done
  echo "$(cat "$counter" 2>/dev/null || echo '?') of 800 increments survived"
}

echo "== 3 TestLocks processes x 2 threads + more workers, 800 increments of one counter file"
echo "-- disable_process_locking = true (in-process locks only):"
echo "   $(run true)   <- lost updates: the race TestLocks exists to prevent"
echo "-- locks on (TestLocks OFD locks + Python oslo.concurrency on <lock_path>/tempest-availability_zone):"
result=$(run false)
echo "   $result"
echo "-- the lock file's holder record (cat \$lock_path/tempest-availability_zone):"
echo "   $(head -c 200 "$work/locks/tempest-availability_zone" | tr -s ' ')"
[ "${result%% *}" = 800 ] || { echo "demo: the locked run lost updates" >&2; exit 1; }

echo
echo "== the aggregates test suites as concurrent test processes (samples/TestLocks.Demo)"
reports="$PWD/artifacts/demo"
rm -rf "$reports" && mkdir -p "$reports"
status=0
TESTLOCKS_DEMO_EVENTS="$reports/events" dotnet run --project samples/TestLocks.Demo -c Release || status=$?

echo
echo "== the timeline of each run, from every test process's run journal (testlocks report)"
dotnet build src/TestLocks.Tool -c Release -nologo -v quiet
for run in "run 1" "run 2"; do
  page="$reports/timeline-${run// /-}.html"
  dotnet src/TestLocks.Tool/bin/Release/net10.0/testlocks.dll report "$reports/events/$run" -o "$page" \
    --title "TestLocks demo, $run ($([ "$run" = "run 1" ] && echo 'in-process locks only' || echo 'cross-process locks'))"
done
echo "Open them in a browser: $reports/timeline-run-1.html (without cross-process locks), $reports/timeline-run-2.html (with)"
exit "$status"
