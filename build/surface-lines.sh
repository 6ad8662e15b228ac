#!/usr/bin/env bash
# Code lines of each framework package (docs/internals.md, "One test lifecycle": each stays under 300 outside the
# folders that reach its framework's internals). Counts non-blank lines of *.cs that are not comments (//, ///, /* */),
# outside obj/, bin/ and buildTransitive/ (compiled into the user's project, not the package); "code" keeps using
# directives, "no-using" drops them (the docs' definition). With --check (build/test.sh runs it as the suite
# "surface-lines"), exits 1 naming every package whose code lines, using directives included, pass LIMIT (300).
# Usage: bash build/surface-lines.sh [--check] [CHECKOUT]
set -euo pipefail
check=0
[ "${1:-}" = --check ] && { check=1; shift; }
limit=${SURFACE_LINES_LIMIT:-300}
cd "${1:-$(dirname "$0")/..}" # a checkout to count (default: this one)

count() { # DIR [EXCLUDED-FOLDER...] -> "code no-using"
  local dir=$1; shift
  local args=(-not -path '*/obj/*' -not -path '*/bin/*' -not -path "$dir/buildTransitive/*")
  for x in "$@"; do args+=(-not -path "$dir/$x/*"); done
  local lines
  lines=$(find "$dir" -name '*.cs' "${args[@]}" -print0 | sort -z | xargs -0 cat \
    | awk '/^[[:space:]]*\/\*/ { c = 1 } c { if ($0 ~ /\*\//) c = 0; next } { print }' \
    | grep -vE '^[[:space:]]*$' | grep -vE '^[[:space:]]*//' || true)
  echo "$(printf '%s\n' "$lines" | grep -c . || true) $(printf '%s\n' "$lines" | grep -vcE '^[[:space:]]*using [A-Za-z0-9_.= ]+;[[:space:]]*$' || true)"
}

over=()
printf '%-28s %-22s %6s %9s %6s\n' package "internals folders" code no-using all
for entry in "MSTest:Scheduling" "NUnit:Scheduling Timing" "TUnit:Scheduling" "Xunit:" "Xunit.Common:" "Xunit.v3:Scheduling Gates"; do
  name=${entry%%:*}; folders=${entry#*:}; npackages=$((${npackages:-0} + 1))
  read -r code nousing <<<"$(count "src/TestLocks.$name" $folders)"
  read -r all _ <<<"$(count "src/TestLocks.$name")"
  printf '%-28s %-22s %6s %9s %6s\n' "TestLocks.$name" "${folders:--}" "$code" "$nousing" "$all"
  if [ "$code" -gt "$limit" ]; then
    over+=("TestLocks.$name has $code code lines outside ${folders:-no folder}, over $limit: move what reaches the framework's internals into a folder of its own that says why, or what is not framework-specific into Core's lifecycle (src/TestLocks.Core/Adapters)")
  fi
done
if [ "$check" = 1 ]; then
  for line in "${over[@]}"; do echo "surface-lines: $line" >&2; done
  echo "surface-lines: $((npackages - ${#over[@]})) passed, ${#over[@]} failed (a package passes within $limit code lines)"
  [ ${#over[@]} -eq 0 ]
fi
