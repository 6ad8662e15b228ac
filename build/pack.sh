#!/usr/bin/env bash
# Makes every TestLocks package into one folder, from a clone at any path:
#   ./build/pack.sh [folder]              default folder: artifacts/packages in the clone
#   ./build/pack.sh --no-build [folder]   packs what `dotnet build -c Release` built (build/test.sh's tests do)
# A package is a project with <IsPackable>true</IsPackable>; nothing else is packed. Versions come from git (MinVer):
# a tag vX.Y.Z gives X.Y.Z, any other commit X.Y.Z-alpha.0.<height>.g<commit>. Builds are deterministic and
# path-independent; without --no-build they happen in artifacts/pack, apart from the bin/ and obj/ folders that tests
# run from.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=(--artifacts-path "$root/artifacts/pack")
if [ "${1:-}" = --no-build ]; then build=(--no-build); shift; fi
out=${1:-$root/artifacts/packages}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/TestLocks.*.nupkg   # one version per folder: the one this commit makes

dotnet pack "$root/TestLocks.sln" -c Release -nologo -v quiet -clp:NoSummary "${build[@]}" -p:PackageOutputPath="$out"

echo "pack: $(find "$out" -maxdepth 1 -name 'TestLocks.*.nupkg' | wc -l) packages in $out:"
(cd "$out" && ls -1 TestLocks.*.nupkg | sed 's/^/  /')
