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
dotnet test TestLocks.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# VSTest prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 64, Skipped: 0, Total: 64, ...".
awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { failed += $2; passed += $4; skipped += $6 }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
rm -f "$log"
exit "$status"
