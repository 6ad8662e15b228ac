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

publish() { dotnet publish "$1" -c Release -r "$2" --self-contained -o "$3" -nologo -v quiet -p:TreatWarningsAsErrors=true >/dev/null; }
publish tests/TestLocks.TestHelper win-x64 "$out"
publish tests/TestLocks.Core.Tests win-x64 "$out"
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
cd "$out"
timeout 900 wine TestLocks.Core.Tests.exe "${args[@]}" -trait- Needs=Python -trait- Needs=Linux -noColor -stopOnFail
