#!/usr/bin/env bash
# The CPU an idle waiting process costs (issue 22): for each testlocks build given, WAITERS `testlocks run` processes
# wait for one lock that another `testlocks run` holds; their CPU time (utime+stime from /proc/PID/stat, every thread,
# those that ended included) is read FROM and TO seconds after they started. All builds wait at the same time, each on a
# lock of its own, so they share the machine's load. Lock files are measured too (WAITERS processes on a lock file).
# Starts its own redis-server (free port, no persistence) unless TESTLOCKS_BACKEND_URL is set.
# Usage: bash bench/idle-waiter.sh [TESTLOCKS_DLL...]   (default: this tree's Release build)
#        WAITERS=3 FROM=10 TO=20 (seconds after the waiters started)
set -euo pipefail
cd "$(dirname "$0")/.."
dlls=("$@"); [ ${#dlls[@]} -gt 0 ] || dlls=(src/TestLocks.Tool/bin/Release/net10.0/testlocks.dll)
waiters=${WAITERS:-3}; from=${FROM:-10}; to=${TO:-20}
work=$(mktemp -d /tmp/testlocks-idle-XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
url=${TESTLOCKS_BACKEND_URL:-}
if [ -z "$url" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --requirepass idle-pw >"$work/redis.log" &
  pids+=($!)
  until redis-cli -p "$port" -a idle-pw --no-auth-warning ping 2>/dev/null | grep -q PONG; do sleep 0.05; done
  redis-cli -p "$port" -a idle-pw --no-auth-warning set testlocks:epoch 0 >/dev/null
  url="redis://:idle-pw@127.0.0.1:$port"
fi
hold=$((to + 15))
# label, url, dll: start a holder, then the waiters; prints the waiters' pids
start() {
  local name="idle-$1" backend="$2" dll="$3"
  TESTLOCKS_BACKEND_URL="$backend" TESTLOCKS_LOCK_PATH="$work" dotnet "$dll" run -l "$name" -- sleep "$hold" >/dev/null 2>&1 &
  pids+=($!)
}
ticks() { awk '{ s=$0; sub(/.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
labels=(); groups=()
i=0
for dll in "${dlls[@]}"; do
  labels+=("redis $dll"); start "r$i" "$url" "$dll"
  labels+=("files $dll"); start "f$i" "" "$dll"
  i=$((i + 1))
done
sleep 3 # the holders have their locks
i=0; g=0
for dll in "${dlls[@]}"; do
  for kind in r f; do
    backend=$url; [ $kind = f ] && backend=""
    members=""
    for _ in $(seq "$waiters"); do
      TESTLOCKS_BACKEND_URL="$backend" TESTLOCKS_LOCK_PATH="$work" dotnet "$dll" run -l "idle-$kind$i" -- true >/dev/null 2>&1 &
      pids+=($!); members="$members $!"
    done
    groups+=("$members"); g=$((g + 1))
  done
  i=$((i + 1))
done
sleep "$from"
declare -a before
for g in "${!groups[@]}"; do t=0; for p in ${groups[$g]}; do t=$((t + $(ticks "$p"))); done; before[$g]=$t; done
sleep $((to - from))
hz=$(getconf CLK_TCK)
for g in "${!groups[@]}"; do
  t=0; for p in ${groups[$g]}; do t=$((t + $(ticks "$p"))); done
  python3 -c "import sys; d=$t-${before[$g]}; print(f'{sys.argv[1]}: {d} ticks in {$to-$from} s for $waiters waiters = {d*1000/$hz/($to-$from)/$waiters:.1f} ms CPU per second per waiting process')" "${labels[$g]}"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
