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
# The macOS strategy (flock), forced on Linux: the whole Core suite but the Python cases (on Linux flock does not
# see Python's lockf; on macOS it does). .NET's FileStream takes a flock of its own on open (its FileShare emulation),
# so tests that read a held lock file with File.ReadAllText turn that off, as `cat` would read it.
DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1 TESTLOCKS_LOCK_STRATEGY=flock dotnet test tests/TestLocks.Core.Tests -c Release --no-build -nologo --filter "Needs!=Python" 2>&1 | tee -a "$log"
status=$((status | PIPESTATUS[0]))
# Windows: the Core contract published for win-x64 and run under wine; osx-arm64 published (builds and binds).
bash build/wine-tests.sh 2>&1 | tee -a "$log"
status=$((status | PIPESTATUS[0]))
set -e

# VSTest prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 64, Skipped: 0, Total: 64, ...".
# xUnit's own runner (the wine run) prints "TestLocks.Core.Tests  Total: 43, Errors: 0, Failed: 0, Skipped: 0, ...".
awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { failed += $2; passed += $4; skipped += $6 }
  /Total: [0-9]+, Errors: [0-9]+, Failed:/ { failed += $4 + $6; skipped += $8; passed += $2 - $4 - $6 - $8 }
  /^race-probe: [0-9]+ passed, [0-9]+ failed/ { split($0, w, /[ :,]+/); passed += w[2]; failed += w[4] }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
rm -f "$log"
exit "$status"
