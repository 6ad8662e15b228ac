#!/usr/bin/env bash
# Adds up a build/test.sh log: summarize.sh LOG SUITE... prints one line per suite that did not run as it should, then
# the plain line "tests: N passed, N failed, N skipped" (CI parses "N passed, N failed"), and exits 1 when anything
# failed or did not run. Used by build/test.sh; build/tests/summarize-test.sh tests it.
#
# The scripts mark each suite in the log with "suite-begin: NAME" and "suite-end: NAME exit=N", and a dotnet test run
# names the test assemblies it must report with "suite-expects: NAME ASSEMBLY.dll". Between the marks the counts come
# from: VSTest's per-assembly line ("Passed!  - Failed: 0, Passed: 64, Skipped: 0, Total: 64, ... - X.dll (net10.0)"),
# xUnit's own runner ("X  Total: 43, Errors: 0, Failed: 0, Skipped: 0, Not Run: 0, ...", and with -diagnostics
# "Discovered:  X (43 test cases to be run)"), or a plain "NAME: N passed, N failed" line (the race probe).
# Each of these is one failure that names the suite and the reason: an expected suite that never began, one that began
# and never ended (its runner died), a runner that exited non-zero with no failing case counted, a suite that counted
# no cases, an expected assembly with no summary line (its test host crashed or never started), an aborted VSTest run,
# and a run of fewer cases than were discovered.
set -euo pipefail
log=$1; shift

awk -v expected="$*" '
  function problem(suite, reason) { problems[++nproblems] = "tests: FAILED " suite ": " reason }
  function num(s) { gsub(/[^0-9]/, "", s); return s + 0 }
  /^suite-begin: / { suite = $2; began[suite] = 1; order[++nsuites] = suite; next }
  /^suite-expects: / { want[$2, $3] = 1; wanted[$2] = wanted[$2] " " $3; next }
  /^suite-end: / {
    split($3, e, "="); ended[$2] = 1; code[$2] = e[2] + 0
    if (suite == $2) suite = ""
    next
  }
  {
    s = (suite == "" ? "(outside any suite)" : suite)
  }
  /(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+, Total: +[0-9]+/ {
    split($0, f, ","); nf = num(f[1]); np = num(f[2]); ns = num(f[3])
    failed += nf; passed += np; skipped += ns; sfailed[s] += nf; scounted[s] = 1
    if (match($0, /[^ \/\\]+\.dll/)) seen[s, substr($0, RSTART, RLENGTH)] = 1
    next
  }
  # (Not inside a dotnet test run: there such a line is the output of a child runner, printed by a failing test.)
  /Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+/ && suite != "dotnet-test" && suite != "flock" {
    split(substr($0, index($0, "Total:")), f, ",")
    t = num(f[1]); er = num(f[2]); nf = num(f[3]); ns = num(f[4]); nr = (f[5] ~ /Not Run/ ? num(f[5]) : 0)
    failed += nf + er; skipped += ns; passed += t - nf - er - ns - nr; sfailed[s] += nf + er; scounted[s] = 1
    total[s] += t
    if (nr > 0) problem(s, nr " cases not run")
    next
  }
  /Discovered: .*\([0-9]+ test cases? to be run\)/ {
    match($0, /\([0-9]+ test case/); discovered[s] += num(substr($0, RSTART, RLENGTH)); next
  }
  /The active test run was aborted|Test Run Aborted/ { aborted[s] = $0; next }
  /^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed/ {
    split($0, w, /[ :,]+/); passed += w[2]; failed += w[4]; sfailed[s] += w[4]; scounted[s] = 1; next
  }
  END {
    n = split(expected, names, " ")
    for (i = 1; i <= n; i++) if (!(names[i] in began)) { order[++nsuites] = names[i]; notstarted[names[i]] = 1 }
    for (i = 1; i <= nsuites; i++) {
      x = order[i]
      if (x in notstarted) { problem(x, "did not start"); continue }
      before = nproblems
      if (!(x in ended)) problem(x, "did not finish: its runner died or was killed before the end")
      if (x in aborted) problem(x, "the test run was aborted: " aborted[x])
      if (!(x in scounted)) problem(x, "reported no test results")
      m = split(wanted[x], as, " ")
      for (j = 1; j <= m; j++) if (!((x, as[j]) in seen)) problem(x, as[j] " printed no summary (its test host crashed or never ran)")
      if ((x in scounted) && (x in discovered) && total[x] < discovered[x]) problem(x, "ran " total[x] " of the " discovered[x] " cases it discovered")
      if (nproblems == before && (x in ended) && code[x] != 0 && sfailed[x] == 0) problem(x, "its runner exited with code " code[x] " and reported no failing case")
      else if (nproblems > before && (x in ended) && code[x] != 0) problems[nproblems] = problems[nproblems] " (exit code " code[x] ")"
    }
    for (i = 1; i <= nproblems; i++) print problems[i]
    printf "tests: %d passed, %d failed, %d skipped\n", passed, failed + nproblems, skipped
    exit (failed + nproblems > 0) ? 1 : 0
  }' "$log"
