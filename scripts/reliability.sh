#!/usr/bin/env bash
# make reliability: runs the tests scripts/reliability.list names, each
# package once, within a time budget, then prints the figures they
# measured (lines the tests log as "FIGURE | what | value") as a table.
# The raw output goes to .cache/reliability.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
BUDGET=${BUDGET:-10m}
out=.cache/reliability.txt
: > "$out"
status=0
while read -r pkg pattern; do
  case "$pkg" in ''|'#'*) continue ;; esac
  echo "== $pkg -run '$pattern'" | tee -a "$out"
  if ! go test -count=1 -v -timeout "$BUDGET" -run "$pattern" "$pkg" >> "$out" 2>&1; then
    status=1
    echo "FAIL $pkg" | tee -a "$out"
  fi
  grep -E '^(--- FAIL|ok|FAIL)' "$out" | tail -1
done < scripts/reliability.list
echo
echo "| measured | value |"
echo "|---|---|"
grep -o 'FIGURE | .*' "$out" | sed 's/^FIGURE | \(.*\) | \(.*\)$/| \1 | \2 |/' || true
exit $status
