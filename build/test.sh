#!/usr/bin/env bash
# Runs every test: installs prerequisites, builds the solution in Release, runs all test projects,
# and ends with one plain line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

bash build/setup.sh
for service in build/services/*.sh; do
  [ -e "$service" ] && source "$service"   # starts servers on 127.0.0.1 for the backend tests, exports their URLs
done

dotnet build TestLocks.sln -c Release -nologo -v quiet
log=$(mktemp)
set +e
# The tests run as `nohup ./build/test.sh &`, `setsid` and CI agents start them, whatever started this script: in a
# session of their own (no terminal), with SIGINT, SIGQUIT and SIGHUP ignored (children inherit that) and nothing on
# stdin. A test that depends on the launching shell fails here, not only on someone's CI. Ctrl+C still ends the run.
setsid --wait env --ignore-signal=INT --ignore-signal=QUIT --ignore-signal=HUP \
  dotnet test TestLocks.sln -c Release --no-build -nologo </dev/null >"$log" 2>&1 &
tests=$!
trap 'kill -TERM -- "-$tests" 2>/dev/null; exit 130' INT TERM
tail --pid="$tests" -n +1 -f "$log" &
wait "$tests"
status=$?
wait
trap - INT TERM
set -e

# VSTest prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 64, Skipped: 0, Total: 64, ...".
awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { failed += $2; passed += $4; skipped += $6 }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
rm -f "$log"
exit "$status"
