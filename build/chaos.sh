#!/usr/bin/env bash
# The chaos suite: mixed test suites in all five frameworks (tests/Chaos: attribute, class-level, body-level LockFixture
# and [Serial] locks; NUnit ParallelScope.All with InstancePerTestCase, Retry, Repeat, Order, TestCaseSource; xUnit v3
# ParallelMode.All with DisableParallelization tests; tests whose Timeout/CancelAfter expires while they wait;
# fire-and-forget waits) run as seven concurrent test processes on one lock_path, launched the ways users launch them
# (dotnet test on VSTest, Microsoft.Testing.Platform and xUnit v3 executables), round after round, with one or four
# parallel slots per process, and in some rounds a Python oslo.concurrency process holding the zone lock first.
#
# Checked by an independent witness (tests/Chaos/Witness: each test writes when it holds what, by the machine's
# monotonic clock): overlapping holds of one lock, a [Serial] test beside a locked test, and the most test bodies one
# process ran at once against its slots. A watchdog fails a round that makes no progress for CHAOS_STALL seconds
# (default 60): it saves every test process's stacks (dotnet-stack) to the round's folder first, then kills the round.
#
#   bash build/chaos.sh [ROUNDS]        (default 3; build/test.sh runs 2, bench/chaos.sh many)
# Ends with "chaos: N passed, N failed", one case per round; exits non-zero when a round failed.
set -euo pipefail
trap 'echo "chaos: stopped by a failing command at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
root=$PWD
rounds=${1:-3}
stall=${CHAOS_STALL:-60}
keep=${CHAOS_KEEP:-}
copies=${CHAOS_COPIES:-1} # each of the seven test processes started this many times (a crowd: bench/chaos.sh)   # a folder to keep every round's witness, logs and stacks in

bin() { echo "$root/tests/Chaos/$1/bin/Release/net10.0"; }
if [ -z "${CHAOS_NO_BUILD:-}" ]; then
  for p in XunitV3 XunitV2 NUnit MSTest TUnit; do
    dotnet build "tests/Chaos/$p" -c Release -nologo -v quiet >/dev/null
  done
fi

stack_tool=$(command -v dotnet-stack || true)
if [ -z "$stack_tool" ]; then
  tools="$root/artifacts/tools"
  [ -x "$tools/dotnet-stack" ] || dotnet tool install --tool-path "$tools" dotnet-stack >/dev/null
  stack_tool="$tools/dotnet-stack"
fi

# The witness lines of a round, in no order (none before the first test wrote).
# Each line gets the process's name (from its file, w-NAME-PID.log) as a last field.
witness() {
  local f
  for f in "$1"/witness/w-*.log; do
    [ -e "$f" ] || continue
    local n=${f##*/w-}; awk -v name="${n%-*}" '{ print $0, name }' "$f"
  done
}
# Every process below a PID, itself included.
tree() { local p=$1; echo "$p"; for c in $(pgrep -P "$p" || true); do tree "$c"; done; }

passed=0; failed=0
total_overlaps=0; total_hangs=0; total_crashes=0; most_bodies=0; most_excess=0
for ((round = 1; round <= rounds; round++)); do
  dir=$(mktemp -d /tmp/chaos.XXXXXX)
  mkdir -p "$dir/locks" "$dir/witness" "$dir/logs"
  began=$(date +%s)
  slots=$(( round % 2 == 1 ? 1 : 4 ))
  export TESTLOCKS_LOCK_PATH="$dir/locks" CHAOS_DIR="$dir/witness" TESTLOCKS_NO_TERMINAL=1 TESTLOCKS_WARN_AFTER=5
  unset TESTLOCKS_DISABLE_PROCESS_LOCKING

  names=(); pids=()
  declare -A slots_of=()
  start() { # NAME SLOTS CMD...: a test process in a session of its own (so that its whole tree can be killed)
    local name=$1; slots_of[$name]=$2; shift 2
    CHAOS_NAME=$name setsid "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
    pids+=($!); names+=("$name")
  }
  # Every third round a Python oslo.concurrency process holds the zone for the first 3 seconds, as Tempest would.
  if (( round % 3 == 0 )); then
    start python 1 /usr/bin/python3 -c '
import sys, time
from oslo_concurrency import lockutils
with lockutils.lock("az", lock_file_prefix="chaos-", external=True, lock_path=sys.argv[1]):
    time.sleep(3)' "$dir/locks"
  fi
  for ((copy = 1; copy <= copies; copy++)); do # CHAOS_COPIES: a crowd of these seven
    c=$( ((copy > 1)) && echo "-c$copy" || true)
    start xunit3-exe$c "$slots" "$(bin XunitV3)/TestLocks.Chaos.XunitV3" -maxThreads "$slots" -noColor
    start xunit3-vstest$c "$slots" dotnet test "$(bin XunitV3)/TestLocks.Chaos.XunitV3.dll" -- "xUnit.MaxParallelThreads=$slots"
    start xunit2-vstest$c "$slots" dotnet test "$(bin XunitV2)/TestLocks.Chaos.XunitV2.dll" -- "xUnit.MaxParallelThreads=$slots"
    start nunit-vstest-1$c "$slots" dotnet test "$(bin NUnit)/TestLocks.Chaos.NUnit.dll" -- "NUnit.NumberOfTestWorkers=$slots"
    start nunit-vstest-2$c 2 dotnet test "$(bin NUnit)/TestLocks.Chaos.NUnit.dll" -- "NUnit.NumberOfTestWorkers=2"
    start mstest-exe$c 4 "$(bin MSTest)/TestLocks.Chaos.MSTest"
    start tunit-exe$c "$slots" "$(bin TUnit)/TestLocks.Chaos.TUnit" --maximum-parallel-tests "$slots" --disable-logo
  done

  # Every second round is hostile (build/chaos-hostile.py): xunit2-vstest (dotnet test and its test host) is SIGKILLed
  # while it holds a lock, and mstest-exe is frozen (SIGSTOP) for 5 s while it holds one, then woken. The kernel frees
  # a killed holder's locks and keeps a frozen one's: the next test takes the first, nobody overlaps the second, and
  # every other process ends.
  pid_of() { local i; for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "${pids[$i]}"; done; }
  hostile=$(( round % 2 == 0 ))
  if ((hostile)); then
    /usr/bin/python3 build/chaos-hostile.py "$dir/witness" 5 60 xunit2-vstest "$(pid_of xunit2-vstest)" mstest-exe "$(pid_of mstest-exe)" >"$dir/hostile.txt" 2>&1 &
    hostile_pid=$!
  fi

  # The watchdog: progress is a witness line or a process that ended.
  last=""; idle=0; hung=0
  while :; do
    running=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && running=$((running + 1)); done
    ((running == 0)) && break
    now="$(witness "$dir" | wc -l) $running"
    if [ "$now" = "$last" ]; then idle=$((idle + 1)); else idle=0; last=$now; fi
    if ((idle >= stall)); then
      hung=1
      echo "chaos: round $round made no progress for ${stall}s; stacks of every test process in $dir/stacks" >&2
      mkdir -p "$dir/stacks"
      for i in "${!pids[@]}"; do
        kill -0 "${pids[$i]}" 2>/dev/null || continue
        for p in $(tree "${pids[$i]}"); do
          [ -r "/proc/$p/cmdline" ] || continue
          "$stack_tool" report -p "$p" >"$dir/stacks/${names[$i]}-$p.txt" 2>&1 || true
          echo "  ${names[$i]} pid $p: $(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-120)" >&2
        done
        kill -KILL -- "-${pids[$i]}" 2>/dev/null || true
      done
      break
    fi
    sleep 1
  done

  missed=0
  if ((hostile)); then
    wait "$hostile_pid" || true
    for x in "killed xunit2-vstest" "frozen mstest-exe"; do
      grep -qx "$x" "$dir/hostile.txt" || { missed=1; echo "chaos: round $round: not $x while it held a lock: $(cat "$dir/hostile.txt")" >&2; }
    done
  fi
  crashes=0; statuses=""
  for i in "${!pids[@]}"; do
    code=0; wait "${pids[$i]}" || code=$?
    ((hostile)) && [ "${names[$i]}" = xunit2-vstest ] && [ "$code" = 137 ] && code=killed # SIGKILLed above
    statuses+=" ${names[$i]}=$code"
    # 0: passed; 1 (dotnet test) or 2 (MTP executables) or 1 (xUnit v3 executable): a test failed, which the tests whose
    # timeout expires while they wait may do. Anything else (a signal, an internal error) is a crash.
    case "$code" in 0|1|2|killed) ;; *) ((hung)) || { crashes=$((crashes + 1)); echo "chaos: round $round: ${names[$i]} exited $code" >&2; }; ;; esac
  done

  # The witness, merged in time order: overlapping holds of one lock, a serial test beside a locked test, and the most
  # bodies that ran at once in one process.
  slot_list=""; for n in "${!slots_of[@]}"; do slot_list+="$n=${slots_of[$n]} "; done
  read -r overlaps most excess < <(witness "$dir" | sort -n -k1,1 | awk -v slots="$slot_list" '
    BEGIN { m = split(slots, kv, " "); for (i = 1; i <= m; i++) { split(kv[i], p, "="); limit[p[1]] = p[2] } }
    $2 == "+L" { if ($4 == "s") { if (serial > 0 || locked > 0) { over++; print "overlap: " $0 > "/dev/stderr" } serial++ }
                 else { if (held[$3] > 0 || (serial > 0 && $4 == "a")) { over++; print "overlap: " $0 > "/dev/stderr" } held[$3]++; if ($4 == "a") locked++ } }
    $2 == "-L" { if ($4 == "s") serial--; else { held[$3]--; if ($4 == "a") locked-- } }
    $2 == "+B" { split($5, id, ":"); k = id[1]; n[k]++; if (n[k] > most) most = n[k]
                 # bodies beyond the slots of the process: tests back from a lock wait, over the limit for a moment
                 if (n[k] > top[$6]) top[$6] = n[k]
                 if (($6 in limit) && n[k] - limit[$6] > excess) excess = n[k] - limit[$6] }
    $2 == "-B" { split($5, id, ":"); n[id[1]]-- }
    END { for (q in top) if ((q in limit) && top[q] > limit[q]) printf "over its slots: %s ran %d bodies at once in %d slots\n", q, top[q], limit[q] > "/dev/stderr"
          print over + 0, most + 0, excess + 0 }' 2>"$dir/overlaps.txt")
  grep '^over its slots' "$dir/overlaps.txt" || true
  grep '^overlap' "$dir/overlaps.txt" | head -5 >&2 || true
  lines=$(witness "$dir" | wc -l)
  ((most > most_bodies)) && most_bodies=$most
  ((excess > most_excess)) && most_excess=$excess
  total_overlaps=$((total_overlaps + overlaps)); total_hangs=$((total_hangs + hung)); total_crashes=$((total_crashes + crashes))
  echo "chaos: round $round (slots $slots$( ((round % 3 == 0)) && echo ", Python holder first")$( ((hostile)) && echo ", a holder SIGKILLed and one frozen 5 s")): $(( $(date +%s) - began )) s, $lines witness lines, $overlaps overlaps, hung $hung, crashes $crashes, most bodies at once in one process $most (at most $excess over its slots); exit codes$statuses"
  if ((overlaps == 0 && hung == 0 && crashes == 0 && missed == 0 && lines > 0)); then passed=$((passed + 1)); else
    failed=$((failed + 1))
    for f in "$dir"/logs/*.log; do echo "--- $(basename "$f") (last lines)" >&2; tail -15 "$f" >&2; done
  fi
  if [ -n "$keep" ]; then mkdir -p "$keep"; cp -r "$dir" "$keep/round-$round"; fi
  if ((hung)) && [ -z "$keep" ]; then echo "chaos: kept $dir for its stacks" >&2; else rm -rf "$dir"; fi
done

echo "chaos: $rounds rounds, $total_overlaps overlapping holds, $total_hangs hangs, $total_crashes crashes, at most $most_bodies test bodies at once in one process, at most $most_excess over its slots"
echo "chaos: $passed passed, $failed failed"
exit $((failed > 0 ? 1 : 0))
