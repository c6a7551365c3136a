#!/usr/bin/env bash
# make demo: the main job end to end, offline, on a small corpus:
# corpus → collect → features → build → train → evaluate → predict on an
# image the model never saw → install the model where svgai finds it →
# svgai optimize using it, from another directory. Everything but the
# installed model goes under demo-out/ (git-ignored); the model goes to the
# per-user data directory ($XDG_DATA_HOME/svgai/models, by default
# ~/.local/share/svgai/models; svgai-tools install-model --to DIR elsewhere).
# Running it twice gives a bit-identical model (same digest on install).
# ResNet-50 runs with deterministic RANDOM weights: pretrained ones cannot
# be downloaded here (see README, "Pretrained weights").
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-demo-out}
T=bin/svgai-tools
mkdir -p "$OUT"
start=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" $(( $(date +%s) - start )); }

step "corpus: 48 synthetic logos + 8 real icons (the 9th, twemoji-1f680, is held out)"
$T corpus synth --out "$OUT/corpus/synthetic" --seed 7 --count 48 --min-size 64 --max-size 192
mkdir -p "$OUT/corpus/icons"
for f in testdata/icons/*.png; do
  [ "$(basename "$f")" = twemoji-1f680.png ] || cp "$f" "$OUT/corpus/icons/"
done

step "collect: 8 presets + 8 quasi-random parameter sets per image, real VTracer conversions"
$T collect --images "$OUT/corpus" --out "$OUT/dataset.h5" --samples-per-image 8
$T validate "$OUT/dataset.h5"

step "features: ResNet-50 (random weights, seed 1) + handcrafted + simulated conversion per record"
$T import-weights --random 1 --out "$OUT/resnet50.h5"
$T features --images "$OUT/corpus" --dataset "$OUT/dataset.h5" --weights "$OUT/resnet50.h5" --out "$OUT/features.h5" --set-aside-stale

step "build: split by image, stratified"
$T build "$OUT/dataset.h5"
$T report "$OUT/dataset.h5" --png "$OUT/dataset.png" > "$OUT/dataset-report.txt"

step "train: main model + 5-model ensemble for the uncertainty (parameters + handcrafted features + simulated conversion; random ResNet features only hurt)"
$T train --dataset "$OUT/dataset.h5" --features "$OUT/features.h5" --weights "$OUT/resnet50.h5" \
  --inputs params+handcrafted+sim --out "$OUT/model"

step "evaluate on the test split"
$T evaluate --model "$OUT/model" --dataset "$OUT/dataset.h5" --features "$OUT/features.h5"

step "predict for testdata/icons/twemoji-1f680.png (never seen), verified with real conversions"
cat > "$OUT/params.jsonl" <<'P'
{}
{"color_precision":8,"filter_speckle":1}
{"color_precision":3,"layer_difference":64,"filter_speckle":12}
{"colormode":"binary"}
{"mode":"polygon","path_precision":1}
P
$T predict --model "$OUT/model" testdata/icons/twemoji-1f680.png --params-file "$OUT/params.jsonl" --verify | tee "$OUT/predictions.jsonl"

step "install the model where svgai finds it from any directory"
$T install-model "$OUT/model"

step "svgai doctor and svgai optimize from another directory: no --model, no \$SVGAI_MODEL, no plugin.toml"
root=$PWD
elsewhere=$(mktemp -d)
trap 'rm -rf "$elsewhere"' EXIT
(cd "$elsewhere" && env -u SVGAI_MODEL "$root/bin/svgai" doctor)
(cd "$elsewhere" && env -u SVGAI_MODEL "$root/bin/svgai" optimize "$root/testdata/icons/twemoji-1f680.png" \
  -o "$root/$OUT/optimized.svg" --target-ssim 0.7 --json) | tee "$OUT/optimized.json"
grep -q '"used_plugin":true' "$OUT/optimized.json" || { echo "demo: svgai optimize did not use the installed model" >&2; exit 1; }

step "done"
cat <<R
Outputs in $OUT/: dataset.h5 (+ .split.json), dataset-report.txt, dataset.png, features.h5,
model/ (best.ckpt, ensemble/, TensorBoard events, metrics.csv, learning_curves.png,
pred_vs_actual.png, model.json), predictions.jsonl, optimized.svg and optimized.json;
the model is installed where svgai finds it ('svgai doctor' says where).
NOTE: ResNet-50 weights are RANDOMLY INITIALISED (no pretrained weights offline); the figures
above say nothing about a model built on pretrained features.
R
