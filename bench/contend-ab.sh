#!/usr/bin/env bash
# Redis contention, old and new builds alternated (issue 22): starts one redis-server on a free port, then for each N
# runs the `contend` mode of each bench build in turn, and DistributedLock directly (CONTEND_DIRECT=1, with the last
# build), ROUNDS times; after each run, the server's commands per acquire (INFO commandstats, reset before the run).
# Usage: bash bench/contend-ab.sh OLD_BENCH_DLL NEW_BENCH_DLL ["2 8 32"] [SECONDS] [ROUNDS]
# (Each measured window comes after every process took the lock CONTEND_WARMUP times, default 100: steady state.)
# CONTEND_NEW_ENV (space-separated NAME=VALUE) is set for the new build's and DistributedLock's runs only: one build
# given as both OLD and NEW then compares a runtime setting, e.g. CONTEND_NEW_ENV=DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0.
set -euo pipefail
old=$1; new=$2; ns=${3:-2 8 32}; seconds=${4:-30}; rounds=${5:-1}
read -r -a new_env <<<"${CONTEND_NEW_ENV:-}"
work=$(mktemp -d /tmp/testlocks-contend-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --requirepass bench-pw >"$work/redis.log" &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null || true; rm -rf "$work"' EXIT
cli() { redis-cli -p "$port" -a bench-pw --no-auth-warning "$@"; }
until cli ping 2>/dev/null | grep -q PONG; do sleep 0.05; done
cli set testlocks:epoch 0 >/dev/null   # a fresh server: skip the grace of one lease after a start
export TESTLOCKS_BACKEND_URL="redis://:bench-pw@127.0.0.1:$port"
run() { # LABEL DLL N [env...]
  local label=$1 dll=$2 n=$3; shift 3
  cli config resetstat >/dev/null
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local line; line=$(env "$@" dotnet "$dll" contend "$work" "$n" "$seconds")
  local stats; stats=$(cli info commandstats | tr -d '\r' | grep -E '^cmdstat_(evalsha|eval|publish|set|get|del|pexpire|exists|setnx)' |
    sed -E 's/cmdstat_([a-z]+):calls=([0-9]+).*/\1=\2/' | tr '\n' ' ')
  echo "$label | $line | load $load | $stats"
}
for ((r = 1; r <= rounds; r++)); do
  for n in $ns; do
    run old "$old" "$n"
    run new "$new" "$n" "${new_env[@]}"
    run direct "$new" "$n" CONTEND_DIRECT=1 "${new_env[@]}"
  done
done
