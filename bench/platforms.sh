#!/usr/bin/env bash
# The platform figures of issue 10, in one run on this machine:
#   Linux: OFD locks (the default) beside the flock strategy of macOS/FreeBSD (TESTLOCKS_LOCK_STRATEGY=flock):
#          uncontended acquire+release and cross-process handoff.
#   Windows under wine: TestLocks (LockFileEx) uncontended and handoff, beside a FileShare.None polling lock
#          (DistributedLock's design: retry after a random 50 ms - 1 s) in the same harness.
#   bench/platforms.sh            (about 5 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
bash build/setup.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build bench/TestLocks.Bench -c Release -nologo -v quiet >/dev/null
bench="dotnet $PWD/bench/TestLocks.Bench/bin/Release/net10.0/TestLocks.Bench.dll"
echo "== machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
for strategy in ofd flock; do
  dir=$(mktemp -d "$out/$strategy.XXXX")
  echo "== Linux, $strategy: uncontended";  TESTLOCKS_LOCK_STRATEGY=$strategy $bench quick "$dir" 200000 | grep -E "external"
  echo "== Linux, $strategy: handoff";      TESTLOCKS_LOCK_STRATEGY=$strategy $bench handoff "$dir" 2000 | grep -E "sync\+async"
done

dotnet publish bench/TestLocks.Bench -c Release -r win-x64 --self-contained -o "$out/win" -nologo -v quiet >/dev/null
export WINEPREFIX=${WINEPREFIX:-$HOME/.wine-testlocks} WINEDEBUG=-all WINEDLLOVERRIDES="mshtml="
[ -f "$WINEPREFIX/system.reg" ] || wineboot -i >/dev/null 2>&1
wineserver -p
trap 'wineserver -k || true; rm -rf "$out"' EXIT
mkdir -p "$out/wl"
windir="Z:${out//\//\\}\\wl"
echo "== Windows (wine $(wine --version | cut -d- -f2-)), TestLocks: uncontended"; wine "$out/win/TestLocks.Bench.exe" quick "$windir" 20000 | grep -E "external"
echo "== Windows, TestLocks: handoff";                wine "$out/win/TestLocks.Bench.exe" handoff "$windir" 1000 | grep -E "sync\+async"
echo "== Windows, FileShare.None polling: handoff";   HANDOFF_POLL=1 wine "$out/win/TestLocks.Bench.exe" handoff "$windir" 40 | grep -E "sync\+async"
