#!/usr/bin/env bash
# The Windows tests: publishes the Core tests and the helper program self-contained for win-x64 (once, into one
# folder) and runs them under wine with one persistent wineserver; then publishes for osx-arm64, which cannot run
# here, so that the macOS build at least restores, compiles and binds. Prints xUnit's summary line.
# Used by build/test.sh; runs alone too (after build/setup.sh has installed wine).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${WINE_TESTS_OUT:-$(mktemp -d)/win-x64}
export WINEPREFIX=${WINEPREFIX:-$HOME/.wine-testlocks}
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mshtml="   # no Gecko prompt; mscoree stays enabled (IL-only assemblies need it)

publish() {
  local log; log=$(mktemp)
  dotnet publish "$1" -c Release -r "$2" --self-contained -o "$3" -nologo -v quiet >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; return 1; }
  rm -f "$log"
}
publish tests/TestLocks.TestHelper win-x64 "$out"
publish tests/TestLocks.Core.Tests win-x64 "$out"
probe=$(dirname "$out")/race-probe
publish tests/TestLocks.Xunit.v3.RaceProbe win-x64 "$probe"
publish tests/TestLocks.TestHelper osx-arm64 "$(dirname "$out")/osx-arm64"
echo "wine-tests: published for win-x64 and osx-arm64"

if [ ! -f "$WINEPREFIX/system.reg" ]; then
  wineboot -i >/dev/null 2>&1
fi
wineserver -p        # one server for every wine process below, kept until the end
trap 'wineserver -k || true' EXIT
# An unhandled exception must end the process, not start winedbg and hang.
wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Debugger /d '' /f >/dev/null 2>&1
wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Auto /d 0 /f >/dev/null 2>&1

# The lock file contract (PlatformContractTests), processes with threads, killed holders, waits, timeouts naming the
# holder, reader/writer, re-entry and lockutils. Cases needing Linux (/proc/locks, setpriv) or Python are left out.
classes=(PlatformContractTests MutualExclusionTests CrashAndTamperingTests WaitingTests ReaderWriterTests ReentryAndRegistryTests LockutilsTests)
args=()
for c in "${classes[@]}"; do args+=(-class "TestLocks.Core.Tests.$c"); done
(cd "$out" && timeout 900 wine TestLocks.Core.Tests.exe "${args[@]}" -trait- Needs=Python -trait- Needs=Linux -noColor -stopOnFail)

# One framework surface end to end: the xUnit v3 race probe ([ExternalLock] tests that notice a second user of their
# resource) as two test processes at once, first without process locks (they must collide), then with them (never).
race() {
  local dir; dir=$(mktemp -d)
  local winDir="Z:${dir//\//\\}"
  local pids=()
  for i in 1 2; do
    RACE_DIR="$winDir" RACE_PROCESSES=2 TESTLOCKS_LOCK_PATH="$winDir\\locks" TESTLOCKS_DISABLE_PROCESS_LOCKING="$1" \
      timeout 300 wine "$probe/TestLocks.Xunit.v3.RaceProbe.exe" -noColor >"$dir/run$i.log" 2>&1 &
    pids+=($!)
  done
  local failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  cat "$dir"/run*.log | grep -E "\[FAIL\]" || true
  overlaps=$(awk '{ s += $1 } END { print s + 0 }' "$dir"/overlaps-*.txt 2>/dev/null || echo 0)
  runs=$(ls "$dir"/overlaps-*.txt 2>/dev/null | wc -l)
  rm -rf "$dir"
  [ "$failed" -eq 0 ] && [ "$runs" -eq 2 ]
}
race true  || { echo "wine race probe: a run without process locks failed" >&2; exit 1; }
without=$overlaps
race false || { echo "wine race probe: a run with process locks failed" >&2; exit 1; }
with=$overlaps
echo "wine race probe: $without overlapping uses without process locks, $with with them"
# The plain line build/test.sh adds up: one case, the probe's verdict.
if [ "$without" -gt 0 ] && [ "$with" -eq 0 ]; then echo "race-probe: 1 passed, 0 failed"; else echo "race-probe: 0 passed, 1 failed"; exit 1; fi
