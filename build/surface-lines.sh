#!/usr/bin/env bash
# Code lines of each framework package (docs/internals.md, "One test lifecycle": each stays under 300 outside the
# folders that reach its framework's internals). Counts non-blank lines of *.cs that are not comments (//, ///, /* */),
# outside obj/, bin/ and buildTransitive/ (compiled into the user's project, not the package); "code" keeps using
# directives, "no-using" drops them (the docs' definition). Usage: bash build/surface-lines.sh [CHECKOUT]
set -euo pipefail
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

printf '%-28s %-22s %6s %9s %6s\n' package "internals folders" code no-using all
for entry in "MSTest:Scheduling" "NUnit:Scheduling Timing" "TUnit:Scheduling" "Xunit:" "Xunit.Common:" "Xunit.v3:Scheduling Gates"; do
  name=${entry%%:*}; folders=${entry#*:}
  read -r code nousing <<<"$(count "src/TestLocks.$name" $folders)"
  read -r all _ <<<"$(count "src/TestLocks.$name")"
  printf '%-28s %-22s %6s %9s %6s\n' "TestLocks.$name" "${folders:--}" "$code" "$nousing" "$all"
done
