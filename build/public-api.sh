#!/usr/bin/env bash
# Rewrites every package's PublicAPI.Unshipped.txt to the public API its code declares now, less what
# PublicAPI.Shipped.txt already lists. Run it after a deliberate API change (or a merge that brings one), then read
# `git diff -- '*PublicAPI*.txt'`: that diff is the API change under review. docs/packaging.md says more.
#   ./build/public-api.sh            all packages (projects with <IsPackable>true</IsPackable>)
#   ./build/public-api.sh src/X/X.csproj ...
set -euo pipefail
cd "$(dirname "$0")/.."

if (($#)); then
  projects=("$@")
else
  projects=()
  while IFS= read -r p; do
    [ "$(dotnet msbuild "$p" -getProperty:IsPackable 2>/dev/null)" = true ] && projects+=("$p")
  done < <(git ls-files -co --exclude-standard '*.csproj' | sort)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for p in "${projects[@]}"; do
  dir=$(dirname "$p")
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
done
for p in "${projects[@]}"; do
  # RS0016 names each symbol missing from the files exactly as the file lists it; warnings stay warnings here.
  dotnet build "$p" -c Release -nologo --no-incremental -p:TreatWarningsAsErrors=false -clp:NoSummary > "$log" 2>&1 || true
  dir=$(dirname "$p")
  full=$(cd "$dir" && pwd)/$(basename "$p")
  {
    printf '#nullable enable\n'
    grep -F "warning RS0016: " "$log" | grep -F "[$full]" \
      | sed -E "s/.*warning RS0016: Symbol '(.*)' is not part of the declared public API.*/\1/" | LC_ALL=C sort -u
  } > "$dir/PublicAPI.Unshipped.txt"
  if grep -E "error [A-Z]+[0-9]+:" "$log" | grep -F "[$full]" | grep -vq "RS00"; then
    grep -E "error [A-Z]+[0-9]+:" "$log" | grep -F "[$full]" | head -20 >&2
    echo "public-api: $p does not build; fix that first" >&2
    exit 1
  fi
  echo "public-api: $p: $(($(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1)) unshipped symbols"
done
