#!/usr/bin/env bash
# Server backend benchmarks: starts PostgreSQL and Redis on 127.0.0.1 (free ports, temporary directories, the same
# way the backend tests do), then measures TestLocks against DistributedLock used directly:
#   acquire+release (BenchmarkDotNet, `backends` mode), cross-process handoff latency (`handoff` mode), and N processes
#   contending for one lock (`contend` mode, N = CONTEND_N, default "2 8 16 32", CONTEND_SECONDS each, default 10).
# Usage: bash bench/backends.sh [HANDOFF_ROUNDS]      (figures go to docs/backends.md by hand)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-400}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/testlocks-bench-XXXXXX)
chmod 755 "$work"
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg_port=$(free_port); redis_port=$(free_port)
mkdir "$work/pg"; [ "$(id -u)" -ne 0 ] || chown postgres: "$work/pg"
cleanup() {
  as_postgres "$bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${redis_pid:-}" ] && kill "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo bench-pw > "$work/pg/pw"; [ "$(id -u)" -ne 0 ] || chown postgres: "$work/pg/pw"
as_postgres "$bin/initdb" -D "$work/pg/data" -U bench -A scram-sha-256 --pwfile="$work/pg/pw" -N >/dev/null
as_postgres "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --requirepass bench-pw >"$work/redis.log" &
redis_pid=$!
until redis-cli -p "$redis_port" -a bench-pw --no-auth-warning ping 2>/dev/null | grep -q PONG; do sleep 0.05; done
# A fresh server: no lock can be held from before it, so skip TestLocks' grace of one lease after a (re)start (docs/backends.md).
redis-cli -p "$redis_port" -a bench-pw --no-auth-warning set testlocks:epoch 0 >/dev/null

export BENCH_POSTGRES_URL="postgresql://bench:bench-pw@127.0.0.1:$pg_port/postgres"
export BENCH_REDIS_URL="redis://:bench-pw@127.0.0.1:$redis_port"
dotnet build bench/TestLocks.Bench -c Release -nologo -v quiet >/dev/null
dll=bench/TestLocks.Bench/bin/Release/net10.0/TestLocks.Bench.dll

dotnet "$dll" backends --filter '*' --exporters github
for url in "$BENCH_POSTGRES_URL" "$BENCH_REDIS_URL"; do dotnet "$dll" backends-quick "$url" 2000; done
for url in "$BENCH_POSTGRES_URL" "$BENCH_REDIS_URL"; do
  for direct in 1 0; do
    TESTLOCKS_BACKEND_URL="$url" HANDOFF_DIRECT=$direct dotnet "$dll" handoff "$work" "$rounds" | grep 'sync+async'
  done
done

# Contention (issue 22): N processes on one lock, each acquiring, holding about 1 ms and releasing, CONTEND_SECONDS per
# point; files, PostgreSQL, Redis and DistributedLock's Redis lock used directly, side by side in one run.
mkdir -p "$work/contend"
for n in ${CONTEND_N:-2 8 16 32}; do
  dotnet "$dll" contend "$work/contend" "$n" "${CONTEND_SECONDS:-10}"
  for url in "$BENCH_POSTGRES_URL" "$BENCH_REDIS_URL"; do
    TESTLOCKS_BACKEND_URL="$url" dotnet "$dll" contend "$work/contend" "$n" "${CONTEND_SECONDS:-10}"
  done
  TESTLOCKS_BACKEND_URL="$BENCH_REDIS_URL" CONTEND_DIRECT=1 dotnet "$dll" contend "$work/contend" "$n" "${CONTEND_SECONDS:-10}"
done
