#!/usr/bin/env bash
# The Windows tests: publishes the Core tests and the helper program self-contained for win-x64 (once, into one
# folder) and runs them under wine with one persistent wineserver; then publishes for osx-arm64, which cannot run
# here, so that the macOS build at least restores, compiles and binds. Marks its suites (a crash check, the Windows
# suite, the race probe) for build/summarize.sh and exits 1 when one failed.
# Used by build/test.sh; runs alone too (after build/setup.sh has installed wine).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${WINE_TESTS_OUT:-$(mktemp -d)/win-x64}
export WINEPREFIX=${WINEPREFIX:-$HOME/.wine-testlocks}
export WINEDEBUG=-all
# No Gecko prompt; mscoree stays enabled (IL-only assemblies need it). winedbg is disabled: an unhandled exception in
# any process here must end that process with an error, never start a debugger that waits (see the check below).
export WINEDLLOVERRIDES="mshtml=;winedbg.exe=d"
# .NET's W^X (code written through a second, writable mapping, then run from the executable one) stays off under wine.
# With it on, Debian 12's wine 8.0 kills the Windows suite at once, on a fresh prefix or not (issue 19): "Fatal error.
# Internal CLR error. (0x80131506) at System.Reflection.Emit.DynamicResolver+DestroyScout.Finalize()". Found with
# runtime 10.0.12 (win-x64) and WINEDEBUG=+seh,+virtual: an access violation reading address 0x20 in coreclr.dll at
# RVA 0xfbee2, UnwindInfoTable::UnpublishUnwindInfoForMethod, which .NET 10 runs whenever ntdll exports
# RtlAddGrowableFunctionTable (wine's does): the code header pointer in front of the finalized DynamicMethod's code
# reads NULL. These DynamicMethods are the stubs reflection emits for MethodBase.Invoke after a method's second call
# (xUnit builds attributes and test classes through reflection). In the traced crashes the method's code was the first
# block of a fresh code heap, and clrjit raised its recoverable error (exception 0x02345678, CORJIT_RECOVERABLEERROR,
# after which it compiles the method again) while that block was being written; with W^X the header is copied in only
# at the end of a compile, without it written in place. A 30-line program calling ConstructorInfo.Invoke three times
# between GCs crashes the same way with W^X on and passes with DOTNET_EnableWriteXorExecute=0; hand-built
# DynamicMethods, and wine's double mapping itself (a section viewed RX and RW: writes are seen), work. W^X hardens
# the runtime; TestLocks' lock files do not depend on it.
export DOTNET_EnableWriteXorExecute=0

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

# One server for every wine process below, kept until the end. Started before wineboot creates a fresh prefix: the
# server wineboot starts itself lingers a few seconds, and `wineserver -p` then fails ("already running", exit 2).
mkdir -p "$WINEPREFIX"
wineserver -p
trap 'wineserver -k || true' EXIT
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  wineboot -i >/dev/null 2>&1
fi
# An unhandled exception must end the process, not start winedbg and hang (winedbg.exe is also disabled above).
wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Debugger /d '' /f >/dev/null 2>&1
wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Auto /d 0 /f >/dev/null 2>&1

# Each suite below prints "suite-begin: NAME" and "suite-end: NAME exit=N" around its output, so that build/summarize.sh
# can tell a suite that ran from one that crashed, stopped early or never started.
status=0
end_suite() { echo "suite-end: $1 exit=$2"; [ "$2" -eq 0 ] || status=1; }

# Proof that a crash cannot hang the run: the helper given no lock name dies of an unhandled exception, which must
# end it with an error code at once (no debugger, no dialog), well inside the timeout.
echo "suite-begin: wine-crash-check"
rc=0; (cd "$out" && timeout 120 wine TestLocks.TestHelper.exe hold >/dev/null 2>&1) || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && ! pgrep -f winedbg >/dev/null; then
  echo "wine-crash-check: 1 passed, 0 failed (an unhandled exception ended the process with code $rc, no debugger)"
  end_suite wine-crash-check 0
else
  echo "wine-crash-check: 0 passed, 1 failed (exit code $rc; 124 means it hung until the timeout)"
  end_suite wine-crash-check 1
fi

# The lock file contract (PlatformContractTests), processes with threads, killed holders, waits, timeouts naming the
# holder, reader/writer, re-entry and lockutils. Cases needing Linux (/proc/locks, setpriv) or Python are left out.
# -diagnostics makes xUnit print how many cases it discovered, which the summary compares with how many ran.
classes=(PlatformContractTests MutualExclusionTests CrashAndTamperingTests WaitingTests ReaderWriterTests ReentryAndRegistryTests LockutilsTests)
args=()
for c in "${classes[@]}"; do args+=(-class "TestLocks.Core.Tests.$c"); done
echo "suite-begin: windows"
rc=0; (cd "$out" && timeout 900 wine TestLocks.Core.Tests.exe "${args[@]}" -trait- Needs=Python -trait- Needs=Linux -noColor -diagnostics) || rc=$?
end_suite windows "$rc"

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
echo "suite-begin: race-probe"
verdict=ok
race true  || { echo "wine race probe: a run without process locks failed" >&2; verdict=failed; }
without=${overlaps:-0}
race false || { echo "wine race probe: a run with process locks failed" >&2; verdict=failed; }
with=${overlaps:-0}
echo "wine race probe: $without overlapping uses without process locks, $with with them"
# The plain line build/summarize.sh adds up: one case, the probe's verdict.
if [ "$verdict" = ok ] && [ "$without" -gt 0 ] && [ "$with" -eq 0 ]; then
  echo "race-probe: 1 passed, 0 failed"; end_suite race-probe 0
else
  echo "race-probe: 0 passed, 1 failed"; end_suite race-probe 1
fi
exit "$status"
