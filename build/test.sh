#!/usr/bin/env bash
# Runs every test: installs prerequisites, builds the solution in Release, runs all test projects, the flock run, the
# Windows suite under wine and the race probe, and ends with one plain line "tests: N passed, N failed, N skipped"
# (build/summarize.sh), after a line for each suite that crashed, stopped early or did not start; exits 1 then.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build/setup.sh
for service in build/services/*.sh; do
  [ -e "$service" ] && source "$service"   # starts servers on 127.0.0.1 for the backend tests, exports their URLs
done

dotnet build TestLocks.sln -c Release -nologo -v quiet
log=$(mktemp)
# Every suite is marked in the log ("suite-begin: NAME", "suite-end: NAME exit=N"); build/summarize.sh adds them up and
# fails any suite that crashed, stopped early or never started, naming it and the reason.
suites=(summarize-test surface-lines dotnet-test flock wine-crash-check windows race-probe chaos)
set +e
# The summary's own test first: a summary that cannot see a missing suite would make every line below meaningless.
{ echo "suite-begin: summarize-test"; bash build/tests/summarize-test.sh; echo "suite-end: summarize-test exit=$?"; } 2>&1 | tee -a "$log"
# Thin surfaces: each framework package within 300 code lines outside the folders that reach its framework's internals.
{ echo "suite-begin: surface-lines"; bash build/surface-lines.sh --check; echo "suite-end: surface-lines exit=$?"; } 2>&1 | tee -a "$log"
# The solution's test projects: each must print its own VSTest summary line.
projects=$(dotnet sln TestLocks.sln list | tr '\\' / | grep -E '^tests/[^/]+/[^/]+\.Tests\.csproj$' | sed -E 's|.*/([^/]+)\.csproj$|\1|')
{
  echo "suite-begin: dotnet-test"
  for p in $projects; do echo "suite-expects: dotnet-test $p.dll"; done
} >>"$log"
# They run as `dotnet test` on each built DLL, as many at once as there are cores (as `dotnet test TestLocks.sln` did),
# the longest first so that no long one starts last and runs alone at the end (CI from zero: Packaging and Backends
# about 6 min each, Frameworks 3; the others 1 or 2), then the rest in the solution's order. Each project's output goes
# to the log in one piece when it ends, so that two never interleave.
first="TestLocks.Packaging.Tests TestLocks.Backends.Tests TestLocks.Frameworks.Tests"
ordered=$(for p in $first $projects; do echo "$p"; done | awk '!seen[$0]++' | grep -Fx -f <(echo "$projects"))
run_project() {
  local out rc=0
  out=$(mktemp)
  dotnet test "tests/$1/bin/Release/net10.0/$1.dll" >"$out" 2>&1 || rc=$?
  flock "$log" cat "$out" >>"$log"
  rm -f "$out"
  return "$rc"
}
export -f run_project
export log
# The tests run as `nohup ./build/test.sh &`, `setsid` and CI agents start them, whatever started this script: in a
# session of their own (no terminal), with SIGINT, SIGQUIT and SIGHUP ignored (children inherit that) and nothing on
# stdin. A test that depends on the launching shell fails here, not only on someone's CI. Ctrl+C still ends the run.
shown=$(($(stat -c %s "$log") + 1))   # what is on the screen already
echo "$ordered" | setsid --wait env --ignore-signal=INT --ignore-signal=QUIT --ignore-signal=HUP \
  xargs -P "$(nproc)" -I{} bash -c 'run_project "$1" </dev/null' _ {} >>"$log" 2>&1 &
tests=$!
trap 'kill -TERM -- "-$tests" 2>/dev/null; exit 130' INT TERM
tail --pid="$tests" -c "+$shown" -f "$log" &
wait "$tests"
rc=$?
wait
trap - INT TERM
echo "suite-end: dotnet-test exit=$rc" | tee -a "$log"
# The macOS strategy (flock), forced on Linux: the whole Core suite but the Python cases (on Linux flock does not
# see Python's lockf; on macOS it does). .NET's FileStream takes a flock of its own on open (its FileShare emulation),
# so tests that read a held lock file with File.ReadAllText turn that off, as `cat` would read it. Two cases ask for
# what one whole-file flock cannot give (docs/design.md): writer preference across processes, and telling a reader
# that has left from the readers still inside. And two ask what only Linux's OFD strategy does: calling off a given-up
# kernel wait with a signal (flock has no interrupter here; docs/internals.md).
{ echo "suite-begin: flock"; echo "suite-expects: flock TestLocks.Core.Tests.dll"; } | tee -a "$log"
DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1 TESTLOCKS_LOCK_STRATEGY=flock dotnet test tests/TestLocks.Core.Tests -c Release --no-build -nologo \
  --filter "Needs!=Python&FullyQualifiedName!~A_writer_is_not_starved_by_readers_in_other_processes&FullyQualifiedName!~A_reader_that_has_left_is_not_named_as_the_holder&FullyQualifiedName!~A_waiter_that_got_a_slot_leaves_the_queues_of_the_other_slots&FullyQualifiedName!~A_blocking_waiter_that_got_a_slot_leaves_the_other_slots_queues" 2>&1 | tee -a "$log"
echo "suite-end: flock exit=${PIPESTATUS[0]}" | tee -a "$log"
# Windows: the Core contract published for win-x64 and run under wine, a crash check and the race probe (it marks its
# own suites); osx-arm64 published (builds and binds).
bash build/wine-tests.sh 2>&1 | tee -a "$log"
# The chaos suite: mixed suites of all five frameworks as seven concurrent test processes, two rounds (one and four
# slots per process), a witness for overlapping holds and a watchdog that fails a stalled round with every stack.
{ echo "suite-begin: chaos"; CHAOS_NO_BUILD=1 bash build/chaos.sh 2 2>&1 | grep -v '^\[TestLocks\]'; echo "suite-end: chaos exit=${PIPESTATUS[0]}"; } 2>&1 | tee -a "$log"
set -e

status=0
bash build/summarize.sh "$log" "${suites[@]}" || status=1
rm -f "$log"
exit "$status"
