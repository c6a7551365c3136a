#!/usr/bin/env bash
# make cover: statement coverage of every package, counting what any test
# executes in any package (-coverpkg), and what the commands that
# end-to-end tests run execute (they are built with -cover by
# shared/testbin when SVGAI_TESTBIN_COVERDIR names where they write).
# Prints the per-package table and the total; .cover/profile.txt is the
# merged profile (go tool cover -html=.cover/profile.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
MOD=github.com/svgai/svgai
OUT=$PWD/.cover
rm -rf "$OUT"
mkdir -p "$OUT/unit" "$OUT/bin"
# Generated code, test helpers and throwaway mains are not counted.
pkgs=$(go list ./... | grep -v -e /predictpb -e /testplugin -e /predicttest -e /predictortest -e /imageiotest -e /testbin -e /archtest -e /webtest -e /reliability -e "^$MOD/scripts" -e "^$MOD/deploy")
coverpkg=$(echo "$pkgs" | paste -sd, -)
export SVGAI_TESTBIN_COVERDIR="$OUT/bin"
start=$(date +%s)
if ! go test -count=1 -timeout 20m -cover -coverpkg="$coverpkg" ./... -args -test.gocoverdir="$OUT/unit" > "$OUT/test.log" 2>&1; then
  # The failures only: go test's per-package lines name every package.
  grep -v -e '^ok ' -e 'coverage: ' -e 'no test files' "$OUT/test.log" | tail -60
  echo "make cover: tests failed (all output in $OUT/test.log)" >&2
  exit 1
fi
echo "tests with coverage: $(( $(date +%s) - start )) s"
go tool covdata textfmt -i="$OUT/unit,$OUT/bin" -o "$OUT/profile.txt"
go run ./scripts/covertable "$OUT/profile.txt" $pkgs
