#!/usr/bin/env bash
# The scheduling benchmark: for xUnit v2, xUnit v3 (default and aggressive algorithm), NUnit, MSTest and TUnit, one test process with
# P = 2 parallel slots runs K = 2 tests marked [ExternalLock("sched-lock")] and U = 8 unmarked tests of d = 1 s each,
# while the benchmark holds "sched-lock" for T = 5 s from the run's first test event. Prints one line per framework:
# when the unmarked tests were done against U*d/P, and how soon after the release the marked tests started.
#   bench/sched.sh             about 3 minutes
#   bench/sched.sh MSTest TUnit  only the frameworks named (of xUnit, xUnit.v3, NUnit, MSTest, TUnit)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then frameworks=("$@"); else frameworks=(xUnit xUnit.v3 NUnit MSTest TUnit); fi
wants() { [[ " ${frameworks[*]} " == *" $1 "* ]]; }
for f in "${frameworks[@]}"; do dotnet build "bench/Scheduling/Sched.$(sed 's/^xUnit/Xunit/' <<<"$f")" -c Release -nologo -v quiet >/dev/null; done
dotnet build bench/TestLocks.Bench -c Release -nologo -v quiet >/dev/null
bench="dotnet $PWD/bench/TestLocks.Bench/bin/Release/net10.0/TestLocks.Bench.dll"
out() { echo "$PWD/bench/Scheduling/$1/bin/Release/net10.0/$1.dll"; }
T=5 D=1000
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if wants xUnit; then $bench sched "xUnit v2 (VSTest)" $T $D dotnet test "$(out Sched.Xunit)" -- xUnit.MaxParallelThreads=2; fi
if wants xUnit.v3; then
  $bench sched "xUnit v3 (conservative, default)" $T $D dotnet "$(out Sched.Xunit.v3)" -maxThreads 2 -noLogo
  $bench sched "xUnit v3 (-parallelAlgorithm aggressive)" $T $D dotnet "$(out Sched.Xunit.v3)" -maxThreads 2 -parallelAlgorithm aggressive -noLogo
fi
if wants NUnit; then $bench sched "NUnit (VSTest)" $T $D dotnet test "$(out Sched.NUnit)" -- NUnit.NumberOfTestWorkers=2; fi
if wants MSTest; then $bench sched "MSTest (MTP, [Parallelize(Workers = 2)])" $T $D dotnet "$(out Sched.MSTest)"; fi
if wants TUnit; then $bench sched "TUnit (--maximum-parallel-tests 2)" $T $D dotnet "$(out Sched.TUnit)" --maximum-parallel-tests 2; fi
