#!/usr/bin/env bash
# batchbench.sh [IMAGES] [WORKERS] [ROUNDS]
# svgai convert's batch throughput against plain parallel processes, on
# IMAGES (default 1000) synthetic 64 px logos (svgai-tools corpus synth):
#   batch     one svgai convert of the folder with -j WORKERS
#   shards    WORKERS svgai processes side by side, each converting its
#             share of the images with -j 1 (the same worker count)
#   shards-1  the same with GOMAXPROCS=1 in each process, so that both ways
#             run as many threads: on a busy machine the kernel shares the
#             CPU out per thread, and more threads get a larger share
#   per-image (with PER_IMAGE=1) one svgai process per image, WORKERS at a
#             time (xargs -P): what a shell loop costs
# Each runs ROUNDS times (default 3), interleaved, since other work on the
# machine moves wall-clock times; the CPU time (user + system) each way
# spends is steadier. Prints images/s (median round), CPU seconds and the
# peak RSS of the largest process (GNU time's %M; Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000} j=${2:-$(nproc)} rounds=${3:-3}
command -v /usr/bin/time >/dev/null || { echo "batchbench: needs GNU time (apt-get install time)" >&2; exit 1; }
[ -x bin/svgai ] || make build >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin/svgai-tools -q corpus synth --out "$work/synth" --count "$n" --min-size 64 --max-size 64 --seed 5 >/dev/null
mkdir -p "$work/in" # one folder, names unique across categories
for f in "$work"/synth/*/*.png; do
  mv "$f" "$work/in/$(basename "$(dirname "$f")")-$(basename "$f")"
done
find "$work/in" -name '*.png' | sort > "$work/list"
split -n "r/$j" -d "$work/list" "$work/shard."

run() { # label command...: one timed run, appended to $work/results
  local label=$1; shift
  rm -rf "$work/out"; mkdir -p "$work/out"
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null
  local made; made=$(find "$work/out" -name '*.svg' | wc -l)
  [ "$made" -eq "$n" ] || { echo "batchbench: $label made $made of $n SVGs" >&2; exit 1; }
  echo "$label $(cat "$work/time")" >> "$work/results"
}
shards() {
  for s in "$work"/shard.*; do
    bin/svgai convert $(cat "$s") -o "$work/out/$(basename "$s")/" -j 1 -q &
  done
  wait
}
per_image() {
  xargs -P "$j" -I{} sh -c 'bin/svgai convert "$1" -o "$2/$(basename "$1" .png).svg" -q' _ {} "$work/out" < "$work/list"
}
export -f shards per_image
export work j
for _ in $(seq "$rounds"); do
  run batch bin/svgai convert "$work/in" -o "$work/out/" -j "$j" -q
  run shards bash -c shards
  run shards-1 env GOMAXPROCS=1 bash -c shards
  [ "${PER_IMAGE:-0}" = 1 ] && run per-image bash -c per_image
done
echo "$n images of 64 px, $j workers, $(nproc) cores, $rounds rounds interleaved"
printf '%-10s %10s %12s %12s %14s\n' way "images/s" "(rounds)" "CPU s" "peak RSS MiB"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for way in batch shards shards-1 per-image; do
  grep -q "^$way " "$work/results" || continue
  rates=$(awk -v w="$way" -v n="$n" '$1 == w { printf "%.1f\n", n / $2 }' "$work/results")
  cpu=$(awk -v w="$way" '$1 == w { print $3 + $4 }' "$work/results" | median)
  rss=$(awk -v w="$way" '$1 == w && $5 > m { m = $5 } END { printf "%.1f", m / 1024 }' "$work/results")
  printf '%-10s %10s %12s %12s %14s\n' "$way" "$(echo "$rates" | median)" "$(echo "$rates" | sort -n | paste -sd, -)" "$cpu" "$rss"
done
