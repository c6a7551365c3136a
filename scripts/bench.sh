#!/usr/bin/env bash
# Runs every benchmark once (benchtime below) and prints a Markdown table.
# The raw `go test -bench` output goes to stderr and to .cache/bench.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
BENCHTIME=${BENCHTIME:-2s}
go test -run '^$' -bench "${BENCH:-.}" -benchtime "$BENCHTIME" -benchmem -timeout 60m ./... 2>&1 \
  | tee .cache/bench.txt | go run ./scripts/benchtable
