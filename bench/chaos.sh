#!/usr/bin/env bash
# The chaos suite for many rounds (build/test.sh runs two): seven concurrent test processes of all five frameworks per
# round on one lock_path, a witness for overlapping holds and a watchdog that saves every process's stacks when a round
# makes no progress for 60 s. Every round's witness, logs (and stacks) are kept in artifacts/chaos.
#   bench/chaos.sh [ROUNDS]     (default 20; about 40 s a round on a quiet 2-core machine)
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf artifacts/chaos
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
CHAOS_KEEP="$PWD/artifacts/chaos" bash build/chaos.sh "${1:-20}"
echo "== $(( $(date +%s) - start )) s"
