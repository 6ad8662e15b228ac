#!/usr/bin/env bash
# The scheduling benchmark: for xUnit v2, xUnit v3 (default and aggressive algorithm) and NUnit, one test process with
# P = 2 parallel slots runs K = 2 tests marked [ExternalLock("sched-lock")] and U = 8 unmarked tests of d = 1 s each,
# while the benchmark holds "sched-lock" for T = 5 s from the run's first test event. Prints one line per framework:
# when the unmarked tests were done against U*d/P, and how soon after the release the marked tests started.
#   bench/sched.sh     about 2 minutes
set -euo pipefail
cd "$(dirname "$0")/.."
for p in Sched.Xunit Sched.Xunit.v3 Sched.NUnit; do dotnet build "bench/Scheduling/$p" -c Release -nologo -v quiet >/dev/null; done
dotnet build bench/TestLocks.Bench -c Release -nologo -v quiet >/dev/null
bench="dotnet $PWD/bench/TestLocks.Bench/bin/Release/net10.0/TestLocks.Bench.dll"
out() { echo "$PWD/bench/Scheduling/$1/bin/Release/net10.0/$1.dll"; }
T=5 D=1000
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
$bench sched "xUnit v2 (VSTest)" $T $D dotnet test "$(out Sched.Xunit)" -- xUnit.MaxParallelThreads=2
$bench sched "xUnit v3 (conservative, default)" $T $D dotnet "$(out Sched.Xunit.v3)" -maxThreads 2 -noLogo
$bench sched "xUnit v3 (-parallelAlgorithm aggressive)" $T $D dotnet "$(out Sched.Xunit.v3)" -maxThreads 2 -parallelAlgorithm aggressive -noLogo
$bench sched "NUnit (VSTest)" $T $D dotnet test "$(out Sched.NUnit)" -- NUnit.NumberOfTestWorkers=2
