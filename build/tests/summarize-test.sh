#!/usr/bin/env bash
# Tests build/summarize.sh on logs of runs that went wrong the ways issue 19 saw (the wine runner crashed at start,
# so the Windows cases and the race probe never ran, and the summary said nothing of it) and the other ways a suite
# can fail to run. Prints "summarize-test: N passed, N failed"; exits 1 on any failure. Run by build/test.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
summarize=${SUMMARIZE:-build/summarize.sh}
suites=(dotnet-test flock wine-crash-check windows race-probe)
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
passed=0; failed=0

# check NAME LOG_FUNCTION EXPECTED_EXIT EXPECTED_LAST_LINE [LINE_THAT_MUST_APPEAR...]
check() {
  local name=$1 want_exit=$3 want_last=$4
  "$2" >"$dir/log"; shift 4
  local out rc=0; out=$(bash "$summarize" "$dir/log" "${suites[@]}" 2>&1) || rc=$?
  local ok=1 line
  [ "$rc" -eq "$want_exit" ] || { ok=0; echo "  exit code $rc, expected $want_exit"; }
  [ "$(tail -n 1 <<<"$out")" = "$want_last" ] || { ok=0; echo "  last line '$(tail -n 1 <<<"$out")', expected '$want_last'"; }
  for line in "$@"; do grep -qF -- "$line" <<<"$out" || { ok=0; echo "  no line with '$line'"; }; done
  if [ "$ok" -eq 1 ]; then passed=$((passed + 1)); echo "[PASS] $name"; else failed=$((failed + 1)); echo "[FAIL] $name"; sed 's/^/  | /' <<<"$out"; fi
}

good_dotnet_test() {
  cat <<'LOG'
suite-begin: dotnet-test
suite-expects: dotnet-test TestLocks.Core.Tests.dll
suite-expects: dotnet-test TestLocks.Xunit.Tests.dll
Passed!  - Failed:     0, Passed:   120, Skipped:     0, Total:   120, Duration: 40 s - TestLocks.Core.Tests.dll (net10.0)
Passed!  - Failed:     0, Passed:    30, Skipped:     1, Total:    31, Duration: 9 s - TestLocks.Xunit.Tests.dll (net10.0)
suite-end: dotnet-test exit=0
suite-begin: flock
suite-expects: flock TestLocks.Core.Tests.dll
Passed!  - Failed:     0, Passed:   110, Skipped:     0, Total:   110, Duration: 38 s - TestLocks.Core.Tests.dll (net10.0)
suite-end: flock exit=0
suite-begin: wine-crash-check
wine-crash-check: 1 passed, 0 failed (an unhandled exception ended the process with code 3, no debugger)
suite-end: wine-crash-check exit=0
LOG
}
good_windows() {
  cat <<'LOG'
suite-begin: windows
  Discovered:  TestLocks.Core.Tests (45 test cases to be run)
   TestLocks.Core.Tests  Total: 45, Errors: 0, Failed: 0, Skipped: 0, Not Run: 0, Time: 61.2s
suite-end: windows exit=0
LOG
}
good_race() {
  cat <<'LOG'
suite-begin: race-probe
race-probe: 1 passed, 0 failed
suite-end: race-probe exit=0
LOG
}

all_ran() { good_dotnet_test; good_windows; good_race; }
check "a run where every suite ran counts them all and passes" all_ran 0 "tests: 307 passed, 0 failed, 1 skipped"

# Issue 19: the wine runner died at start; the old wine script stopped there, so the race probe never began.
wine_crashed() {
  good_dotnet_test
  cat <<'LOG'
suite-begin: windows
  Discovering: TestLocks.Core.Tests
  Discovered:  TestLocks.Core.Tests (45 test cases to be run)
  Starting:    TestLocks.Core.Tests
Fatal error.
Internal CLR error. (0x80131506)
   at System.Reflection.Emit.DynamicResolver+DestroyScout.Finalize()
   at System.GC.RunFinalizers()
suite-end: windows exit=134
LOG
}
check "a wine runner that crashed, and a race probe that never started, are failures named in the summary" wine_crashed 1 \
  "tests: 261 passed, 2 failed, 1 skipped" \
  "tests: FAILED windows: reported no test results (exit code 134)" \
  "tests: FAILED race-probe: did not start"

host_crashed() {
  { good_dotnet_test | grep -v 'TestLocks.Xunit.Tests.dll (net10.0)'
    echo "The active test run was aborted. Reason: Test host process crashed"; } |
    sed 's/^suite-end: dotnet-test exit=0$/The active test run was aborted. Reason: Test host process crashed\nsuite-end: dotnet-test exit=1/'
  good_windows; good_race
}
check "a test host that crashed in dotnet test fails its suite and names the assembly" host_crashed 1 \
  "tests: 277 passed, 2 failed, 0 skipped" \
  "tests: FAILED dotnet-test: TestLocks.Xunit.Tests.dll printed no summary" \
  "tests: FAILED dotnet-test: the test run was aborted"

ran_fewer() { good_dotnet_test; good_windows | sed 's/Total: 45,/Total: 30,/'; good_race; }
check "a suite that ran fewer cases than it discovered fails" ran_fewer 1 \
  "tests: 292 passed, 1 failed, 1 skipped" "tests: FAILED windows: ran 30 of the 45 cases it discovered"

never_ended() { good_dotnet_test; good_windows | grep -v '^suite-end'; }
check "a suite that never ended and one that never began are both failures" never_ended 1 \
  "tests: 306 passed, 2 failed, 1 skipped" \
  "tests: FAILED windows: did not finish" "tests: FAILED race-probe: did not start"

cases_failed() { good_dotnet_test; good_windows | sed 's/Failed: 0, Skipped/Failed: 2, Skipped/; s/exit=0/exit=1/'; good_race; }
check "failing cases are counted as failed, with no extra line for their suite" cases_failed 1 "tests: 305 passed, 2 failed, 1 skipped"

silent_crash() { good_dotnet_test; good_windows | sed 's/exit=0/exit=3/'; good_race; }
check "a runner that exits with an error while every case it counted passed is a failure" silent_crash 1 \
  "tests: 307 passed, 1 failed, 1 skipped" "tests: FAILED windows: its runner exited with code 3 and reported no failing case"

# A failing test that prints a child xUnit runner's output carries its summary line; inside dotnet test that line is
# the child's, not a suite of ours (seen in CI: one failure counted twice).
nested_output() {
  good_dotnet_test | sed 's/Passed!  - Failed:     0, Passed:    30,/Failed!  - Failed:     1, Passed:    29,/; s/dotnet-test exit=0/dotnet-test exit=1/' |
    sed 's/^suite-expects: dotnet-test TestLocks.Xunit.Tests.dll$/&\n    Fixture  Total: 1, Errors: 0, Failed: 1, Skipped: 0, Not Run: 0, Time: 0.9s/'
  good_windows; good_race
}
check "a child runner's summary printed by a failing test in dotnet test is not counted again" nested_output 1 "tests: 306 passed, 1 failed, 1 skipped"

echo "summarize-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
