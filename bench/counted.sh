#!/usr/bin/env bash
# Counted locks and pools (issue 23) on lock files, PostgreSQL and Redis: handoff p50 of a counted lock (HANDOFF_SLOTS=3:
# two slots held throughout, the waiter waits on all three), a pool of 4 shared by 8 processes (busy % of ideal), and an
# exact-count stress with SIGKILLed holders. Starts its servers as bench/backends.sh does.
# Usage: bash bench/counted.sh [HANDOFF_ROUNDS] [STRESS_SECONDS]      (figures go to docs/benchmarks.md by hand)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-400}
stress=${2:-10}
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
redis-cli -p "$redis_port" -a bench-pw --no-auth-warning set testlocks:epoch 0 >/dev/null

pg="postgresql://bench:bench-pw@127.0.0.1:$pg_port/postgres"
redis="redis://:bench-pw@127.0.0.1:$redis_port?lock_timeout=2"
dotnet build bench/TestLocks.Bench -c Release -nologo -v quiet >/dev/null
dll=bench/TestLocks.Bench/bin/Release/net10.0/TestLocks.Bench.dll

for url in file "$pg" "$redis"; do
  d="$work/run-$RANDOM"; mkdir "$d"
  if [ "$url" = file ]; then unset TESTLOCKS_BACKEND_URL; else export TESTLOCKS_BACKEND_URL="$url"; fi
  dotnet "$dll" handoff "$d" "$rounds" | grep 'sync+async'
  HANDOFF_SLOTS=3 dotnet "$dll" handoff "$d" "$rounds" | grep 'sync+async'
  dotnet "$dll" pool "$d" 8 4 25 20
  dotnet "$dll" killstress "$d" 6 3 "$stress"
done
