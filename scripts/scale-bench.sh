#!/usr/bin/env bash
# Measures each step of the data pipeline on a synthetic dataset of N records
# (default 2,000,000; `svgai-tools scale gen`, no VTracer needed): wall time,
# CPU time (user + system: steadier than wall time on a shared machine) and
# peak RSS (GNU time), one process per step, as a markdown table.
#
#   make scale-bench                  # or: scripts/scale-bench.sh [N]
#   SCALE_DIR=/big/disk scripts/scale-bench.sh 2000000
#
# Needs bin/svgai-tools (make build), GNU time and bc (Debian packages
# "time" and "bc").
# 2,000,000 records take about 3 GB of disk in SCALE_DIR (default: a new
# directory under /tmp, removed afterwards unless SCALE_KEEP=1).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000000}
BIN=${BIN:-bin/svgai-tools}
DIR=${SCALE_DIR:-$(mktemp -d /tmp/svgai-scale.XXXXXX)}
mkdir -p "$DIR"
[ -x /usr/bin/time ] && command -v bc >/dev/null || { echo "scale-bench: needs GNU time and bc (apt-get install time bc)" >&2; exit 1; }
[ "${SCALE_KEEP:-}" = 1 ] || trap 'rm -rf "$DIR"' EXIT

step() { # name, then the command; stdout goes to $DIR/name.out
	local name=$1; shift
	if ! /usr/bin/time -f "%e %U %S %M" -o "$DIR/$name.time" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err"; then
		echo "scale-bench: $name failed:" >&2; cat "$DIR/$name.err" >&2; exit 1
	fi
	read -r secs user sys kb <"$DIR/$name.time"
	printf '| %s | %s s | %.1f s | %d MiB |\n' "$name" "$secs" "$(echo "$user + $sys" | bc)" $((kb / 1024))
}

echo "$N records in $DIR ($(nproc) cores; $(date -u +%Y-%m-%d))"
echo
echo "| step | wall time | CPU time | peak RSS |"
echo "|---|---|---|---|"
step "write dataset (scale gen, as collect writes)" $BIN scale gen --out "$DIR/ds.h5" --records "$N"
step "write features (2048-d ResNet, handcrafted, one simulation per record)" $BIN scale gen --features "$DIR/f.h5" --records "$N"
step "validate" $BIN validate "$DIR/ds.h5"
step "export JSON lines" sh -c "$BIN export '$DIR/ds.h5' > '$DIR/ds.jsonl'"
step "export CSV" sh -c "$BIN export --format csv '$DIR/ds.h5' > '$DIR/ds.csv'"
step "split (build)" $BIN build "$DIR/ds.h5"
step "read for training (params+handcrafted+sim rows)" $BIN scale read --dataset "$DIR/ds.h5" --features "$DIR/f.h5"
step "merge (the dataset as one shard, into a new file)" $BIN merge --out "$DIR/merged.h5" "$DIR/ds.h5"
echo
ls -l "$DIR"/ds.h5 "$DIR"/f.h5 "$DIR"/ds.jsonl "$DIR"/ds.csv "$DIR"/merged.h5 | awk '{printf "%s: %.0f MB\n", $NF, $5/1e6}'
for f in "$DIR"/*.out; do echo "$(basename "$f" .out): $(head -c 400 "$f" | head -3)"; done
